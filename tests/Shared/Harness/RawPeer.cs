using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace ActorChain.Tests.Harness;

/// <summary>
/// A hand-rolled peer speaking docs/protocol.md §12 on a bare socket, so a spec can get through the
/// handshake and then send what no real transport would (a frame header announcing too much).
/// Written from the document, not from the transport's code.
/// </summary>
internal sealed class RawPeer(Socket socket) : IDisposable
{
    private const byte Handshake = 1;
    private const byte HandshakeAck = 2;

    public Socket Socket => socket;

    public static async Task<RawPeer> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return new RawPeer(socket);
    }

    /// <summary>Runs the handshake as <paramref name="nodeId"/>; returns once the node's proof has arrived.</summary>
    public async Task AuthenticateAsync(string clusterId, string nodeId, string secret)
    {
        var nonce = RandomNumberGenerator.GetBytes(32);
        var hello = new List<byte>();
        hello.AddRange(BitConverter.GetBytes((ushort)1));
        Text8(hello, clusterId);
        Text8(hello, nodeId);
        Text8(hello, "127.0.0.1");
        hello.AddRange(BitConverter.GetBytes((ushort)1));
        hello.AddRange(BitConverter.GetBytes(42UL));
        hello.AddRange(nonce);
        await SendFrameAsync(Handshake, [.. hello]);

        var (type, peerHello) = await ReadFrameAsync();
        if (type != Handshake)
        {
            throw new InvalidOperationException($"expected the node's hello, got frame type {type}");
        }

        var (peerNodeId, peerNonce) = ParseHello(peerHello);
        var proof = new List<byte>("actorchain-remote-handshake-v1"u8.ToArray());
        Text8(proof, clusterId);
        Text8(proof, nodeId);
        proof.AddRange(nonce);
        Text8(proof, peerNodeId);
        proof.AddRange(peerNonce);
        await SendFrameAsync(HandshakeAck, HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), proof.ToArray()));

        (type, _) = await ReadFrameAsync();
        if (type != HandshakeAck)
        {
            throw new InvalidOperationException($"expected the node's proof, got frame type {type}");
        }
    }

    public async Task SendFrameAsync(byte type, byte[] payload)
    {
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)(1 + payload.Length));
        frame[4] = type;
        payload.CopyTo(frame, 5);
        await socket.SendAsync(frame);
    }

    /// <summary>Only the 5-byte header: a length and a type, with none of the payload it announces.</summary>
    public async Task SendHeaderAsync(uint length, byte type)
    {
        var header = new byte[5];
        BinaryPrimitives.WriteUInt32LittleEndian(header, length);
        header[4] = type;
        await socket.SendAsync(header);
    }

    public void Dispose() => socket.Dispose();

    private async Task<(byte Type, byte[] Payload)> ReadFrameAsync()
    {
        var header = new byte[5];
        await ReadExactlyAsync(header);
        var payload = new byte[BinaryPrimitives.ReadUInt32LittleEndian(header) - 1];
        await ReadExactlyAsync(payload);
        return (header[4], payload);
    }

    private async Task ReadExactlyAsync(byte[] buffer)
    {
        for (var read = 0; read < buffer.Length;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read));
            read += n > 0 ? n : throw new IOException("The node closed the connection during the handshake.");
        }
    }

    private static (string NodeId, byte[] Nonce) ParseHello(byte[] hello)
    {
        var position = 2;
        _ = ReadText8(hello, ref position);
        var nodeId = ReadText8(hello, ref position);
        _ = ReadText8(hello, ref position);
        position += 2 + 8;
        return (nodeId, hello[position..(position + 32)]);
    }

    private static string ReadText8(byte[] source, ref int position)
    {
        var length = source[position];
        var text = Encoding.UTF8.GetString(source, position + 1, length);
        position += 1 + length;
        return text;
    }

    private static void Text8(List<byte> destination, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        destination.Add((byte)bytes.Length);
        destination.AddRange(bytes);
    }
}
