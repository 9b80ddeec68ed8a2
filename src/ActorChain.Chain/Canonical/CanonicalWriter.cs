using System.Buffers.Binary;

namespace ActorChain.Chain.Canonical;

/// <summary>Little-endian writer over a span sized in advance; the canonical layout never grows a buffer.</summary>
internal ref struct CanonicalWriter(Span<byte> destination)
{
    private readonly Span<byte> _destination = destination;
    private int _position;

    public readonly int Position => _position;

    public void WriteByte(byte value) => _destination[_position++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_destination[_position..], value);
        _position += 2;
    }

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_destination[_position..], value);
        _position += 4;
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_destination[_position..], value);
        _position += 8;
    }

    public void WriteHash(Hash256 hash)
    {
        hash.WriteTo(_destination[_position..]);
        _position += Hash256.Size;
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_destination[_position..]);
        _position += bytes.Length;
    }

    /// <summary>UTF-8 text after a length prefix of one byte (short) or two bytes (long).</summary>
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

        _position += ChainLimits.Utf8.GetBytes(text, _destination[_position..]);
    }
}
