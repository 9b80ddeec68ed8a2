using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using ActorChain.Remote.Framing;
using ActorChain.Remote.Handshake;
using ActorChain.Remote.Tls;

namespace ActorChain.Remote.Tests.Support;

/// <summary>A hand-driven TCP peer for hostile and protocol tests: it writes exactly the bytes a test wants.</summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;

    private RawPeer(Socket socket, Stream? stream = null)
    {
        _socket = socket;
        _stream = stream ?? new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<RawPeer> ConnectAsync(RemoteAddress address)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(address.Host, address.Port);
        return new RawPeer(socket);
    }

    /// <summary>Connects and completes a TLS handshake as a node holding <paramref name="tls"/>'s certificate would.</summary>
    public static async Task<RawPeer> ConnectTlsAsync(RemoteAddress address, RemoteTlsOptions tls, bool withoutCertificate = false)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(address.Host, address.Port);
        var certificate = X509Certificate2.CreateFromPemFile(tls.CertificatePath, tls.PrivateKeyPath);
        var trusted = new X509Certificate2Collection();
        trusted.ImportFromPemFile(tls.TrustedCaPath);
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true));
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = address.Host,
            ClientCertificates = withoutCertificate ? [] : [certificate],
            CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { trusted[0] },
                RevocationMode = X509RevocationMode.NoCheck,
            },
        });
        return new RawPeer(socket, ssl);
    }

    public static byte[] Frame(FrameType type, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[FrameCodec.HeaderSize + payload.Length];
        FrameCodec.WriteHeader(frame, type, payload.Length);
        payload.CopyTo(frame.AsSpan(FrameCodec.HeaderSize));
        return frame;
    }

    public static byte[] EnvelopeFrame(RemoteEnvelope envelope)
    {
        var payload = new byte[envelope.Size];
        envelope.Write(payload);
        return Frame(FrameType.Envelope, payload);
    }

    public async Task SendAsync(params byte[][] chunks)
    {
        var all = chunks.SelectMany(static c => c).ToArray();
        await _stream.WriteAsync(all);
        await _stream.FlushAsync();
    }

    /// <summary>
    /// Runs our side of the handshake; <paramref name="afterProof"/> goes out in the same write as our
    /// proof, before the other side's proof is read, as a pipelining attacker would send it.
    /// </summary>
    public async Task<HandshakeHello> HandshakeAsync(
        string nodeId, string clusterId, byte[] secret, RemoteAddress listenAddress, ushort version = HandshakeHello.CurrentVersion, byte[]? afterProof = null)
    {
        var local = new HandshakeHello(version, clusterId, nodeId, listenAddress, 42, RandomNumberGenerator.GetBytes(HandshakeHello.NonceSize));
        var hello = new byte[local.Size];
        local.Write(hello);
        await SendAsync(Frame(FrameType.Handshake, hello));
        var (type, payload) = await ReadFrameAsync();
        Assert.Equal(FrameType.Handshake, type);
        var remote = HandshakeHello.Read(payload);
        var proof = HandshakeProof.Compute(secret, clusterId, local, remote);
        await SendAsync(Frame(FrameType.HandshakeAck, proof), afterProof ?? []);
        return remote;
    }

    public async Task<(FrameType Type, byte[] Payload)> ReadFrameAsync()
    {
        var header = new byte[FrameCodec.HeaderSize];
        await _stream.ReadExactlyAsync(header);
        var length = BinaryPrimitives.ReadUInt32LittleEndian(header);
        var payload = new byte[length - 1];
        await _stream.ReadExactlyAsync(payload);
        return ((FrameType)header[FrameCodec.LengthSize], payload);
    }

    /// <summary>Completes when the other side closes the connection (reads until end of stream or reset).</summary>
    public async Task WaitForCloseAsync()
    {
        var buffer = new byte[4096];
        try
        {
            while (await _stream.ReadAsync(buffer) > 0)
            {
            }
        }
        catch (IOException)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        _stream.Dispose();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
