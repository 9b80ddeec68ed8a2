using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace ActorChain.Chain.Signing;

/// <summary>
/// A voter's ECDSA P-256 public key. In the chain it is the 65-byte uncompressed point
/// (<c>04 ‖ X ‖ Y</c>), which has exactly one encoding; in configuration it is the base64 of its
/// SubjectPublicKeyInfo, which is what <c>openssl ec -pubout</c> and <c>--generate-key</c> print.
/// </summary>
public sealed class VoterKey : IEquatable<VoterKey>
{
    /// <summary>Bytes of the uncompressed point in the chain.</summary>
    public const int Size = 65;

    /// <summary>Bytes of a signature: r ‖ s, 32 bytes each (IEEE P1363).</summary>
    public const int SignatureSize = 64;

    private readonly byte[] _point;

    // ECDsa instances are not documented as thread-safe; verification is rare enough per key to take a lock.
    private readonly ECDsa _ecdsa;

    private VoterKey(byte[] point, ECDsa ecdsa)
    {
        _point = point;
        _ecdsa = ecdsa;
    }

    public ReadOnlySpan<byte> Point => _point;

    /// <exception cref="ArgumentException">The bytes are not an uncompressed point on P-256.</exception>
    public static VoterKey FromPoint(ReadOnlySpan<byte> point) =>
        TryFromPoint(point, out var key, out var error) ? key : throw new ArgumentException(error);

    public static bool TryFromPoint(ReadOnlySpan<byte> point, [NotNullWhen(true)] out VoterKey? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        if (point.Length != Size || point[0] != 0x04)
        {
            error = $"a voter key is a {Size}-byte uncompressed P-256 point starting with 04, not {point.Length} bytes";
            return false;
        }

        var ecdsa = ECDsa.Create();
        try
        {
            // ImportParameters refuses a point that is not on the curve.
            ecdsa.ImportParameters(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = point[1..33].ToArray(), Y = point[33..].ToArray() },
            });
        }
        catch (CryptographicException)
        {
            ecdsa.Dispose();
            error = "a voter key is not a point on the P-256 curve";
            return false;
        }

        key = new VoterKey(point.ToArray(), ecdsa);
        error = null;
        return true;
    }

    /// <summary>From the base64 of a DER SubjectPublicKeyInfo (the body of a PEM "PUBLIC KEY").</summary>
    /// <exception cref="ArgumentException">It is not base64 of a P-256 public key.</exception>
    public static VoterKey FromBase64SubjectPublicKeyInfo(string base64)
    {
        ArgumentNullException.ThrowIfNull(base64);
        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(base64.Trim()), out _);
            return FromParameters(ecdsa.ExportParameters(includePrivateParameters: false));
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            throw new ArgumentException($"not the base64 of an ECDSA P-256 public key (SubjectPublicKeyInfo): {e.Message}", e);
        }
    }

    internal static VoterKey FromParameters(ECParameters parameters)
    {
        if (parameters.Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new ArgumentException($"a voter key is on P-256, not on {parameters.Curve.Oid?.FriendlyName ?? "another curve"}");
        }

        var point = new byte[Size];
        point[0] = 0x04;
        parameters.Q.X.AsSpan().CopyTo(point.AsSpan(1, 32));
        parameters.Q.Y.AsSpan().CopyTo(point.AsSpan(33, 32));
        return FromPoint(point);
    }

    public string ToBase64SubjectPublicKeyInfo()
    {
        lock (_ecdsa)
        {
            return Convert.ToBase64String(_ecdsa.ExportSubjectPublicKeyInfo());
        }
    }

    /// <summary>True when <paramref name="signature"/> is this key's ECDSA P-256/SHA-256 signature (P1363) of the 32 hash bytes.</summary>
    public bool Verify(Hash256 blockHash, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureSize)
        {
            return false;
        }

        Span<byte> message = stackalloc byte[Hash256.Size];
        blockHash.WriteTo(message);
        lock (_ecdsa)
        {
            return _ecdsa.VerifyData(message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
    }

    public bool Equals(VoterKey? other) => other is not null && _point.AsSpan().SequenceEqual(other._point);

    public override bool Equals(object? obj) => Equals(obj as VoterKey);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.AddBytes(_point);
        return hash.ToHashCode();
    }

    public override string ToString() => Convert.ToHexStringLower(_point.AsSpan(1, 8)) + "…";
}
