using System.Security.Cryptography;

namespace ActorChain.Remote.Handshake;

/// <summary>
/// Challenge–response over the shared secret. Each side proves HMAC-SHA256(secret, label | cluster |
/// prover id | prover nonce | verifier id | verifier nonce): the verifier's fresh nonce makes a recorded
/// proof useless on another connection, and the prover/verifier order makes a side's own proof useless
/// when reflected back at it. The secret itself never crosses the wire.
/// </summary>
internal static class HandshakeProof
{
    public const int Size = 32;

    private static ReadOnlySpan<byte> Label => "actorchain-remote-handshake-v1"u8;

    public static byte[] Compute(ReadOnlySpan<byte> secret, string clusterId, HandshakeHello prover, HandshakeHello verifier)
    {
        var length = Label.Length + (3 * (1 + RemoteLimits.MaxNameBytes)) + (2 * HandshakeHello.NonceSize);
        Span<byte> data = stackalloc byte[length];
        Label.CopyTo(data);
        var position = Label.Length;
        position += Append(data[position..], clusterId);
        position += Append(data[position..], prover.NodeId);
        prover.Nonce.Span.CopyTo(data[position..]);
        position += HandshakeHello.NonceSize;
        position += Append(data[position..], verifier.NodeId);
        verifier.Nonce.Span.CopyTo(data[position..]);
        position += HandshakeHello.NonceSize;
        return HMACSHA256.HashData(secret, data[..position]);
    }

    public static bool Verify(ReadOnlySpan<byte> secret, string clusterId, HandshakeHello prover, HandshakeHello verifier, ReadOnlySpan<byte> proof)
    {
        if (proof.Length != Size)
        {
            return false;
        }

        var expected = Compute(secret, clusterId, prover, verifier);
        return CryptographicOperations.FixedTimeEquals(expected, proof);
    }

    // Length-prefixed so "ab"+"c" and "a"+"bc" hash differently.
    private static int Append(Span<byte> destination, string value)
    {
        var length = RemoteLimits.Utf8.GetBytes(value, destination[1..]);
        destination[0] = (byte)length;
        return 1 + length;
    }
}
