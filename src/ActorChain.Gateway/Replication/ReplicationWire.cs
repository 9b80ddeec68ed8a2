using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using ActorChain.Chain;
using ActorChain.Remote;
using ActorChain.Remote.Serialization;

namespace ActorChain.Gateway.Replication;

/// <summary>A replicator wire message: it knows its exact size and writes itself little-endian (docs/protocol.md §13).</summary>
internal interface IReplicationMessage<TSelf>
    where TSelf : IReplicationMessage<TSelf>
{
    int Size { get; }

    void Write(Span<byte> destination);

    static abstract TSelf Read(ReadOnlySpan<byte> payload);
}

/// <summary>Asks a peer's replicator for <see cref="Length"/> bytes of the blob <see cref="Sha256"/> from <see cref="Offset"/>.</summary>
internal readonly record struct FetchChunk(Hash256 Sha256, long Offset, int Length) : IReplicationMessage<FetchChunk>
{
    public const int FixedSize = Hash256.Size + 8 + 4;

    public int Size => FixedSize;

    public void Write(Span<byte> destination)
    {
        Sha256.WriteTo(destination);
        BinaryPrimitives.WriteInt64LittleEndian(destination[Hash256.Size..], Offset);
        BinaryPrimitives.WriteInt32LittleEndian(destination[(Hash256.Size + 8)..], Length);
    }

    // Only the shape is checked here: offset and length out of bounds are answered (ChunkNotHere Invalid), not dropped.
    public static FetchChunk Read(ReadOnlySpan<byte> payload)
    {
        if (payload.Length != FixedSize)
        {
            ReplicationWire.Malformed($"a fetch is {FixedSize} bytes, not {payload.Length}");
        }

        return new FetchChunk(
            new Hash256(payload[..Hash256.Size]),
            BinaryPrimitives.ReadInt64LittleEndian(payload[Hash256.Size..]),
            BinaryPrimitives.ReadInt32LittleEndian(payload[(Hash256.Size + 8)..]));
    }
}

/// <summary>The bytes of a blob from <see cref="Offset"/>; <see cref="TotalLength"/> is the whole blob's length.</summary>
internal readonly record struct ChunkReply(Hash256 Sha256, long Offset, long TotalLength, ReadOnlyMemory<byte> Data) : IReplicationMessage<ChunkReply>
{
    public const int HeaderSize = Hash256.Size + 8 + 8 + 4;

    public int Size => HeaderSize + Data.Length;

    public void Write(Span<byte> destination)
    {
        Sha256.WriteTo(destination);
        BinaryPrimitives.WriteInt64LittleEndian(destination[Hash256.Size..], Offset);
        BinaryPrimitives.WriteInt64LittleEndian(destination[(Hash256.Size + 8)..], TotalLength);
        BinaryPrimitives.WriteInt32LittleEndian(destination[(Hash256.Size + 16)..], Data.Length);
        Data.Span.CopyTo(destination[HeaderSize..]);
    }

    public static ChunkReply Read(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < HeaderSize)
        {
            ReplicationWire.Malformed($"a chunk is at least {HeaderSize} bytes, not {payload.Length}");
        }

        var offset = BinaryPrimitives.ReadInt64LittleEndian(payload[Hash256.Size..]);
        var total = BinaryPrimitives.ReadInt64LittleEndian(payload[(Hash256.Size + 8)..]);
        var length = BinaryPrimitives.ReadInt32LittleEndian(payload[(Hash256.Size + 16)..]);
        if (length < 0 || length > ReplicationWire.MaxChunkSize || length != payload.Length - HeaderSize)
        {
            ReplicationWire.Malformed($"a chunk claims {length} data bytes with {payload.Length - HeaderSize} left (at most {ReplicationWire.MaxChunkSize})");
        }

        if (offset < 0 || total < 0 || offset > total || length > total - offset)
        {
            ReplicationWire.Malformed($"a chunk of {length} bytes at offset {offset} does not fit a blob of {total} bytes");
        }

        return new ChunkReply(new Hash256(payload[..Hash256.Size]), offset, total, payload[HeaderSize..].ToArray());
    }
}

internal enum NotHereReason : byte
{
    /// <summary>The peer's store has no blob with that hash.</summary>
    NotStored = 0,

    /// <summary>The offset or length is outside the rules or the blob.</summary>
    Invalid = 1,

    /// <summary>The peer serves as many chunks as it will at once: ask later or elsewhere.</summary>
    Busy = 2,
}

/// <summary>The peer cannot answer a <see cref="FetchChunk"/> with bytes; <see cref="Reason"/> says why.</summary>
internal readonly record struct ChunkNotHere(Hash256 Sha256, NotHereReason Reason) : IReplicationMessage<ChunkNotHere>
{
    public const int FixedSize = Hash256.Size + 1;

    public int Size => FixedSize;

    public void Write(Span<byte> destination)
    {
        Sha256.WriteTo(destination);
        destination[Hash256.Size] = (byte)Reason;
    }

    public static ChunkNotHere Read(ReadOnlySpan<byte> payload)
    {
        if (payload.Length != FixedSize)
        {
            ReplicationWire.Malformed($"a not-here reply is {FixedSize} bytes, not {payload.Length}");
        }

        var reason = (NotHereReason)payload[Hash256.Size];
        if (reason is not (NotHereReason.NotStored or NotHereReason.Invalid or NotHereReason.Busy))
        {
            ReplicationWire.Malformed($"unknown not-here reason {(byte)reason}");
        }

        return new ChunkNotHere(new Hash256(payload[..Hash256.Size]), reason);
    }
}

/// <summary>Type ids 950–959 belong to file replication (docs/protocol.md §13); never renumber.</summary>
internal static class ReplicationWire
{
    public const int FetchChunkTypeId = 950;
    public const int ChunkReplyTypeId = 951;
    public const int ChunkNotHereTypeId = 952;

    /// <summary>1 MiB: a chunk reply stays far below the 4 MiB default max-frame-size.</summary>
    public const int MaxChunkSize = 1024 * 1024;

    /// <summary>Registers the messages unless they already are (several gateways may share a registry in tests).</summary>
    public static void Register(SerializerRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (registry.TryGetTypeId(typeof(FetchChunk), out _))
        {
            return;
        }

        registry.Register(FetchChunkTypeId, new Serializer<FetchChunk>());
        registry.Register(ChunkReplyTypeId, new Serializer<ChunkReply>());
        registry.Register(ChunkNotHereTypeId, new Serializer<ChunkNotHere>());
    }

    [DoesNotReturn]
    internal static void Malformed(string reason) => throw new RemoteFormatException(reason);

    private sealed class Serializer<T> : BinaryMessageSerializer<T>
        where T : IReplicationMessage<T>
    {
        public override int GetSize(T message) => message.Size;

        public override void Write(T message, Span<byte> destination) => message.Write(destination);

        public override T Read(ReadOnlySpan<byte> payload) => T.Read(payload);
    }
}
