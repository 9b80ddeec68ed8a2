using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using ActorChain.Chain;
using ActorChain.Consensus.Paxos;
using ActorChain.Remote;

namespace ActorChain.Consensus.Wire;

/// <summary>Bounds-checked little-endian reads: every length is checked against the bytes left before anything is allocated.</summary>
internal ref struct WireReader(ReadOnlySpan<byte> source)
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _source = source;
    private int _position;

    public readonly int Remaining => _source.Length - _position;

    public byte Byte()
    {
        Need(1, "a byte");
        return _source[_position++];
    }

    public int Int32()
    {
        Need(4, "an int32");
        var value = BinaryPrimitives.ReadInt32LittleEndian(_source[_position..]);
        _position += 4;
        return value;
    }

    public long Int64()
    {
        Need(8, "an int64");
        var value = BinaryPrimitives.ReadInt64LittleEndian(_source[_position..]);
        _position += 8;
        return value;
    }

    public string String()
    {
        Need(2, "a string length");
        int length = BinaryPrimitives.ReadUInt16LittleEndian(_source[_position..]);
        _position += 2;
        Need(length, "a string");
        string value;
        try
        {
            value = StrictUtf8.GetString(_source.Slice(_position, length));
        }
        catch (DecoderFallbackException)
        {
            Fail("a string is not UTF-8");
            throw;
        }

        _position += length;
        return value;
    }

    public Hash256 Hash()
    {
        Need(Hash256.Size, "a hash");
        var hash = new Hash256(_source.Slice(_position, Hash256.Size));
        _position += Hash256.Size;
        return hash;
    }

    public Ballot Ballot()
    {
        var round = Int64();
        return new Ballot(round, String());
    }

    public Block Block()
    {
        var bytes = Sized("a block");
        if (!BlockCodec.TryDecodeBlock(bytes, out var block, out var error))
        {
            Fail($"a block is malformed: {error}");
        }

        return block!;
    }

    public Entry Entry()
    {
        var bytes = Sized("an entry");
        try
        {
            return BlockCodec.DecodeEntry(bytes);
        }
        catch (ChainFormatException ex)
        {
            throw new RemoteFormatException($"an entry is malformed: {ex.Message}", ex);
        }
    }

    /// <summary>A count of items of at least <paramref name="minItemBytes"/> each: checked against the bytes left.</summary>
    public int Count(int minItemBytes)
    {
        var count = Int32();
        if (count < 0 || (long)count * minItemBytes > Remaining)
        {
            Fail($"a count of {count} does not fit in {Remaining} bytes");
        }

        return count;
    }

    public readonly void End()
    {
        if (Remaining != 0)
        {
            Fail($"{Remaining} bytes follow the message");
        }
    }

    [DoesNotReturn]
    public static void Fail(string reason) => throw new RemoteFormatException($"Not a consensus message: {reason}.");

    private ReadOnlySpan<byte> Sized(string what)
    {
        var size = Int32();
        if (size < 0)
        {
            Fail($"{what} has a negative length");
        }

        Need(size, what);
        var bytes = _source.Slice(_position, size);
        _position += size;
        return bytes;
    }

    private readonly void Need(int count, string what)
    {
        if (count > Remaining)
        {
            Fail($"{what} needs {count} bytes, {Remaining} are left");
        }
    }
}
