using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace ActorChain.Remote;

/// <summary>
/// One message on the wire: who it is for, who sent it, and the serialized message.
/// Layout (little-endian): <c>[u16 recipientLen][recipient][u16 senderLen][sender][u16 serializerId]
/// [i32 typeId][i32 payloadLen][payload]</c>. The recipient is 1..1024 UTF-8 bytes, the sender 0..1024
/// (empty = no sender).
/// </summary>
public readonly record struct RemoteEnvelope(string Recipient, string Sender, ushort SerializerId, int TypeId, ReadOnlyMemory<byte> Payload)
{
    private const int FixedSize = 2 + 2 + 2 + 4 + 4;

    public int Size
    {
        get
        {
            ArgumentException.ThrowIfNullOrEmpty(Recipient, nameof(Recipient));
            ArgumentNullException.ThrowIfNull(Sender, nameof(Sender));
            return FixedSize
                + RemoteLimits.TextByteCount(Recipient, RemoteLimits.MaxPathBytes, "recipient path")
                + RemoteLimits.TextByteCount(Sender, RemoteLimits.MaxPathBytes, "sender path")
                + Payload.Length;
        }
    }

    /// <summary>Writes the envelope and returns the bytes written (always <see cref="Size"/>).</summary>
    public int Write(Span<byte> destination)
    {
        var size = Size;
        if (destination.Length < size)
        {
            throw new ArgumentException($"The envelope needs {size} bytes; the destination has {destination.Length}.", nameof(destination));
        }

        return WriteCore(destination);
    }

    /// <summary>For callers that already took <see cref="Size"/> and sized the destination by it.</summary>
    internal int WriteCore(Span<byte> destination)
    {
        var position = WriteText(destination, Recipient);
        position += WriteText(destination[position..], Sender);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[position..], SerializerId);
        BinaryPrimitives.WriteInt32LittleEndian(destination[(position + 2)..], TypeId);
        BinaryPrimitives.WriteInt32LittleEndian(destination[(position + 6)..], Payload.Length);
        position += 10;
        Payload.Span.CopyTo(destination[position..]);
        return position + Payload.Length;
    }

    /// <summary>Reads exactly one envelope; the payload is copied, so the source may be reused.</summary>
    public static RemoteEnvelope Read(ReadOnlySpan<byte> source)
    {
        var position = 0;
        var recipient = ReadText(source, ref position, "recipient path");
        if (recipient.Length == 0)
        {
            RemoteLimits.Fail("the recipient path is empty");
        }

        var sender = ReadText(source, ref position, "sender path");
        Need(source, position, 10, "serializer id, type id and payload length");
        var serializerId = BinaryPrimitives.ReadUInt16LittleEndian(source[position..]);
        var typeId = BinaryPrimitives.ReadInt32LittleEndian(source[(position + 2)..]);
        var payloadLength = BinaryPrimitives.ReadInt32LittleEndian(source[(position + 6)..]);
        position += 10;
        if (payloadLength < 0 || payloadLength != source.Length - position)
        {
            RemoteLimits.Fail($"the payload announces {payloadLength} bytes but {source.Length - position} follow");
        }

        return new RemoteEnvelope(recipient, sender, serializerId, typeId, source[position..].ToArray());
    }

    public bool Equals(RemoteEnvelope other) =>
        Recipient == other.Recipient && Sender == other.Sender && SerializerId == other.SerializerId
        && TypeId == other.TypeId && Payload.Span.SequenceEqual(other.Payload.Span);

    public override int GetHashCode() => HashCode.Combine(Recipient, Sender, SerializerId, TypeId, Payload.Length);

    // The generated ToString would print Size, which throws for an invalid envelope.
    public override string ToString() =>
        $"RemoteEnvelope {{ Recipient = {Recipient}, Sender = {Sender}, SerializerId = {SerializerId}, TypeId = {TypeId}, Payload = {Payload.Length} bytes }}";

    private static int WriteText(Span<byte> destination, string text)
    {
        var length = RemoteLimits.Utf8.GetBytes(text, destination[2..]);
        BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)length);
        return 2 + length;
    }

    // Failure messages are built only on failure: an interpolated "what" per field cost ~260 B a message.
    private static string ReadText(ReadOnlySpan<byte> source, ref int position, string what)
    {
        if (source.Length - position < 2)
        {
            NeedFailed(position, 2, what, " length");
        }

        int length = BinaryPrimitives.ReadUInt16LittleEndian(source[position..]);
        position += 2;
        if (length > RemoteLimits.MaxPathBytes)
        {
            RemoteLimits.Fail($"the {what} is {length} bytes; the limit is {RemoteLimits.MaxPathBytes}");
        }

        if (source.Length - position < length)
        {
            NeedFailed(position, length, what, string.Empty);
        }

        var text = length == 0 ? string.Empty : RemoteLimits.DecodeText(source.Slice(position, length), what);
        position += length;
        return text;
    }

    private static void Need(ReadOnlySpan<byte> source, int position, int count, string what)
    {
        if (count > source.Length - position)
        {
            NeedFailed(position, count, what, string.Empty);
        }
    }

    [DoesNotReturn]
    private static void NeedFailed(int position, int count, string what, string suffix) =>
        RemoteLimits.Fail($"the data ends at byte {position} where the {what}{suffix} ({count} bytes) was expected");
}
