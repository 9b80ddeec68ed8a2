using System.Buffers.Binary;
using ActorChain.Chain;
using ActorChain.Consensus.Paxos;

namespace ActorChain.Consensus.Wire;

/// <summary>Little-endian writes into an exactly sized span; sizes come from <see cref="WireSize"/>.</summary>
internal ref struct WireWriter(Span<byte> destination)
{
    private readonly Span<byte> _destination = destination;
    private int _position;

    public readonly int Written => _position;

    public void Byte(byte value) => _destination[_position++] = value;

    public void Int32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_destination[_position..], value);
        _position += 4;
    }

    public void Int64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_destination[_position..], value);
        _position += 8;
    }

    public void String(string value)
    {
        var count = System.Text.Encoding.UTF8.GetBytes(value, _destination[(_position + 2)..]);
        BinaryPrimitives.WriteUInt16LittleEndian(_destination[_position..], checked((ushort)count));
        _position += 2 + count;
    }

    public void Hash(Hash256 hash)
    {
        hash.WriteTo(_destination[_position..]);
        _position += Hash256.Size;
    }

    public void Ballot(Ballot ballot)
    {
        Int64(ballot.Round);
        String(ballot.NodeId ?? string.Empty);
    }

    public void Block(Block block)
    {
        var size = BlockCodec.GetBlockSize(block);
        Int32(size);
        BlockCodec.WriteBlock(block, _destination.Slice(_position, size));
        _position += size;
    }

    public void Entry(Entry entry)
    {
        var size = BlockCodec.GetEntrySize(entry);
        Int32(size);
        BlockCodec.WriteEntry(entry, _destination.Slice(_position, size));
        _position += size;
    }
}

internal static class WireSize
{
    public static int String(string value) => 2 + System.Text.Encoding.UTF8.GetByteCount(value);

    public static int Ballot(Ballot ballot) => 8 + String(ballot.NodeId ?? string.Empty);

    public static int Block(Block block) => 4 + BlockCodec.GetBlockSize(block);

    public static int Entry(Entry entry) => 4 + BlockCodec.GetEntrySize(entry);
}
