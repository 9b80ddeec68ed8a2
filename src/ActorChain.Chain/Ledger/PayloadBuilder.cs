using System.Buffers;
using System.Buffers.Binary;

namespace ActorChain.Chain.Ledger;

/// <summary>
/// The growing counterpart of <see cref="Canonical.CanonicalWriter"/> for payloads, whose size is
/// awkward to compute in advance. Same layout rules: little-endian numbers, UTF-8 text behind a
/// one-byte (short) or two-byte length prefix.
/// </summary>
internal sealed class PayloadBuilder(int initialCapacity = 64)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(initialCapacity);

    public void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void WriteBool(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
    }

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void WriteDouble(double value) => WriteInt64(BitConverter.DoubleToInt64Bits(value));

    public void WriteHash(Hash256 hash)
    {
        hash.WriteTo(_buffer.GetSpan(Hash256.Size));
        _buffer.Advance(Hash256.Size);
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    public void WriteText(string text, bool shortPrefix)
    {
        var length = ChainLimits.Utf8.GetByteCount(text);
        if (shortPrefix)
        {
            WriteByte(checked((byte)length));
        }
        else
        {
            WriteUInt16(checked((ushort)length));
        }

        var written = ChainLimits.Utf8.GetBytes(text, _buffer.GetSpan(length));
        _buffer.Advance(written);
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
