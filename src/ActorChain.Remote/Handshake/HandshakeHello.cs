using System.Buffers.Binary;

namespace ActorChain.Remote.Handshake;

/// <summary>
/// The first frame each side sends. Layout: <c>[u16 version][u8 len][cluster id][u8 len][node id]
/// [u8 len][host][u16 port][u64 incarnation][32 nonce]</c>. The version comes first so a later
/// version can change everything after it and still be refused cleanly.
/// </summary>
internal readonly record struct HandshakeHello(
    ushort Version,
    string ClusterId,
    string NodeId,
    RemoteAddress ListenAddress,
    ulong Incarnation,
    ReadOnlyMemory<byte> Nonce)
{
    public const ushort CurrentVersion = 1;
    public const int NonceSize = 32;

    public int Size =>
        2 + 1 + RemoteLimits.Utf8.GetByteCount(ClusterId) + 1 + RemoteLimits.Utf8.GetByteCount(NodeId)
        + 1 + RemoteLimits.Utf8.GetByteCount(ListenAddress.Host) + 2 + 8 + NonceSize;

    public int Write(Span<byte> destination)
    {
        if (Nonce.Length != NonceSize)
        {
            throw new ArgumentException($"The nonce is {NonceSize} bytes, not {Nonce.Length}.");
        }

        BinaryPrimitives.WriteUInt16LittleEndian(destination, Version);
        var position = 2;
        position += WriteName(destination[position..], ClusterId, "cluster id");
        position += WriteName(destination[position..], NodeId, "node id");
        position += WriteName(destination[position..], ListenAddress.Host, "host name");
        BinaryPrimitives.WriteUInt16LittleEndian(destination[position..], (ushort)ListenAddress.Port);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[(position + 2)..], Incarnation);
        position += 10;
        Nonce.Span.CopyTo(destination[position..]);
        return position + NonceSize;
    }

    /// <summary>Reads only the version, so an unsupported one is refused without parsing the rest.</summary>
    public static ushort ReadVersion(ReadOnlySpan<byte> source)
    {
        if (source.Length < 2)
        {
            RemoteLimits.Fail("the handshake is shorter than its version");
        }

        return BinaryPrimitives.ReadUInt16LittleEndian(source);
    }

    public static HandshakeHello Read(ReadOnlySpan<byte> source)
    {
        var version = ReadVersion(source);
        var position = 2;
        var clusterId = ReadName(source, ref position, "cluster id");
        var nodeId = ReadName(source, ref position, "node id");
        var host = ReadName(source, ref position, "host name");
        if (source.Length - position != 2 + 8 + NonceSize)
        {
            RemoteLimits.Fail($"the handshake has {source.Length - position} bytes after the host name; it needs {2 + 8 + NonceSize}");
        }

        var port = BinaryPrimitives.ReadUInt16LittleEndian(source[position..]);
        var incarnation = BinaryPrimitives.ReadUInt64LittleEndian(source[(position + 2)..]);
        var nonce = source[(position + 10)..].ToArray();
        return new HandshakeHello(version, clusterId, nodeId, new RemoteAddress(host, port), incarnation, nonce);
    }

    private static int WriteName(Span<byte> destination, string value, string what)
    {
        var length = RemoteLimits.Utf8.GetBytes(value, destination[1..]);
        if (length is 0 or > RemoteLimits.MaxNameBytes)
        {
            throw new ArgumentException($"The {what} must be 1 to {RemoteLimits.MaxNameBytes} UTF-8 bytes.");
        }

        destination[0] = (byte)length;
        return 1 + length;
    }

    private static string ReadName(ReadOnlySpan<byte> source, ref int position, string what)
    {
        if (position >= source.Length)
        {
            RemoteLimits.Fail($"the handshake ends where the {what} was expected");
        }

        int length = source[position++];
        if (length == 0 || length > source.Length - position)
        {
            RemoteLimits.Fail($"the {what} announces {length} bytes; {source.Length - position} follow and it must not be empty");
        }

        var value = RemoteLimits.DecodeText(source.Slice(position, length), what);
        position += length;
        return value;
    }
}
