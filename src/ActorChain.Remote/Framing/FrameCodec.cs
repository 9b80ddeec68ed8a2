using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace ActorChain.Remote.Framing;

/// <summary>The reason a frame header was refused; each has its own counter.</summary>
internal enum FrameError
{
    None,
    Empty,
    Oversized,
    UnknownType,
}

/// <summary>
/// <c>[u32 LE length][u8 type][payload]</c>, where length counts the type byte and the payload.
/// The reader decides on the five header bytes alone — length limit and type — so a frame that
/// announces more than the limit is refused before a single payload byte is buffered or allocated.
/// </summary>
internal static class FrameCodec
{
    public const int LengthSize = 4;
    public const int HeaderSize = LengthSize + 1;
    public const int DefaultMaxFrameSize = 4 * 1024 * 1024;

    public static bool IsKnown(FrameType type) => type is >= FrameType.Handshake and <= FrameType.Select;

    /// <summary>
    /// Takes one whole frame off the front of <paramref name="buffer"/>, or returns false when more
    /// bytes are needed. Throws <see cref="RemoteFormatException"/> as soon as the header is bad,
    /// without waiting for the announced payload.
    /// </summary>
    public static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, int maxFrameSize, out FrameType type, out ReadOnlySequence<byte> payload)
    {
        type = default;
        payload = default;
        if (buffer.Length < LengthSize)
        {
            return false;
        }

        var length = ReadLength(buffer);
        if (length == 0)
        {
            Fail(FrameError.Empty, "a frame announces zero bytes; it needs at least its type");
        }

        if (length > (uint)maxFrameSize)
        {
            Fail(FrameError.Oversized, $"a frame announces {length} bytes; the limit is {maxFrameSize}");
        }

        if (buffer.Length < HeaderSize)
        {
            return false;
        }

        type = (FrameType)buffer.Slice(LengthSize, 1).FirstSpan[0];
        if (!IsKnown(type))
        {
            Fail(FrameError.UnknownType, $"frame type {(byte)type} is unknown");
        }

        if (buffer.Length < LengthSize + length)
        {
            return false;
        }

        payload = buffer.Slice(HeaderSize, length - 1);
        buffer = buffer.Slice(LengthSize + length);
        return true;
    }

    public static void WriteHeader(Span<byte> destination, FrameType type, int payloadLength)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)payloadLength + 1);
        destination[LengthSize] = (byte)type;
    }

    /// <summary>Writes a header-only or small frame straight into <paramref name="writer"/>.</summary>
    public static void WriteFrame(IBufferWriter<byte> writer, FrameType type, ReadOnlySpan<byte> payload)
    {
        var span = writer.GetSpan(HeaderSize + payload.Length);
        WriteHeader(span, type, payload.Length);
        payload.CopyTo(span[HeaderSize..]);
        writer.Advance(HeaderSize + payload.Length);
    }

    private static uint ReadLength(in ReadOnlySequence<byte> buffer)
    {
        var first = buffer.FirstSpan;
        if (first.Length >= LengthSize)
        {
            return BinaryPrimitives.ReadUInt32LittleEndian(first);
        }

        Span<byte> bytes = stackalloc byte[LengthSize];
        buffer.Slice(0, LengthSize).CopyTo(bytes);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    [DoesNotReturn]
    private static void Fail(FrameError error, string reason) => throw new RemoteFormatException(reason, error);
}
