using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace ActorChain.Chain.Canonical;

/// <summary>
/// Little-endian reader that checks every length against what is left before it allocates,
/// so a hostile length prefix costs nothing.
/// </summary>
internal ref struct CanonicalReader(ReadOnlySpan<byte> source)
{
    private readonly ReadOnlySpan<byte> _source = source;
    private int _position;

    public readonly int Position => _position;

    public readonly int Remaining => _source.Length - _position;

    public byte ReadByte()
    {
        Need(1, "a byte");
        return _source[_position++];
    }

    public ushort ReadUInt16()
    {
        Need(2, "a 16-bit length");
        var value = BinaryPrimitives.ReadUInt16LittleEndian(_source[_position..]);
        _position += 2;
        return value;
    }

    public int ReadInt32()
    {
        Need(4, "a 32-bit number");
        var value = BinaryPrimitives.ReadInt32LittleEndian(_source[_position..]);
        _position += 4;
        return value;
    }

    public long ReadInt64()
    {
        Need(8, "a 64-bit number");
        var value = BinaryPrimitives.ReadInt64LittleEndian(_source[_position..]);
        _position += 8;
        return value;
    }

    public Hash256 ReadHash()
    {
        Need(Hash256.Size, "a hash");
        var hash = new Hash256(_source.Slice(_position, Hash256.Size));
        _position += Hash256.Size;
        return hash;
    }

    public ReadOnlySpan<byte> ReadBytes(int length, string what)
    {
        if (length < 0)
        {
            Fail($"{what} has a negative length");
        }

        Need(length, what);
        var bytes = _source.Slice(_position, length);
        _position += length;
        return bytes;
    }

    public string ReadText(bool shortPrefix, int maxBytes, string what)
    {
        int length = shortPrefix ? ReadByte() : ReadUInt16();
        if (length == 0 || length > maxBytes)
        {
            Fail($"{what} is {length} bytes; it must be 1 to {maxBytes}");
        }

        var bytes = ReadBytes(length, what);
        try
        {
            return ChainLimits.Utf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            Fail($"{what} is not valid UTF-8");
            return string.Empty;
        }
    }

    public readonly void Need(int count, string what)
    {
        if (count > Remaining)
        {
            Fail($"the data ends at byte {_position} where {what} ({count} bytes) was expected");
        }
    }

    [DoesNotReturn]
    public static void Fail(string reason) => throw new ChainFormatException(reason);
}
