using System.Buffers.Binary;
using ActorChain.Chain;
using ActorChain.Gateway.Replication;
using ActorChain.Remote;
using ActorChain.Remote.Serialization;

namespace ActorChain.Gateway.Tests.Replication;

/// <summary>The replication messages on the wire: exact round trips, and hostile bytes refused as malformed, never anything worse.</summary>
public sealed class ReplicationWireTests
{
    // docs/protocol.md §12.10: max-frame-size defaults to 4 MiB.
    private const int DefaultMaxFrameSize = 4 * 1024 * 1024;

    private const string Recipient = "actorchain://c@127.0.0.1:1/user/file-replicator";

    private static readonly Hash256 Sha = Hash256.Compute("bytes"u8);

    private readonly SerializerRegistry _registry = new();

    public ReplicationWireTests() => ReplicationWire.Register(_registry);

    public static TheoryData<object> Messages() =>
    [
        new FetchChunk(Sha, 0, 1),
        new FetchChunk(Sha, long.MaxValue, ReplicationWire.MaxChunkSize),
        new ChunkNotHere(Sha, NotHereReason.Busy),
        new ChunkReply(Sha, 3, 10, new byte[] { 1, 2, 3, 4, 5, 6, 7 }),
        new ChunkReply(Sha, 0, 0, Array.Empty<byte>()),
    ];

    [Theory]
    [MemberData(nameof(Messages))]
    public void Message_RoundTripsThroughItsEnvelope(object message)
    {
        var decoded = _registry.FromEnvelope(_registry.ToEnvelope(Recipient, "", message));
        if (message is ChunkReply reply)
        {
            var back = Assert.IsType<ChunkReply>(decoded);
            Assert.Equal((reply.Sha256, reply.Offset, reply.TotalLength), (back.Sha256, back.Offset, back.TotalLength));
            Assert.Equal(reply.Data.ToArray(), back.Data.ToArray());
        }
        else
        {
            Assert.Equal(message, decoded);
        }
    }

    [Fact]
    public void LargestChunkReply_FitsTheDefaultFrame()
    {
        var envelope = _registry.ToEnvelope(Recipient, Recipient, new ChunkReply(Sha, 0, long.MaxValue, new byte[ReplicationWire.MaxChunkSize]));
        Assert.True(envelope.Size + 1 < DefaultMaxFrameSize, $"a full chunk is a {envelope.Size + 1}-byte frame");
    }

    [Theory]
    [InlineData(ReplicationWire.MaxChunkSize + 1, 0, 10L * ReplicationWire.MaxChunkSize, "more data than a chunk may hold")]
    [InlineData(8, 5, 10, "past the blob's end")]
    [InlineData(8, -1, 10, "negative offset")]
    [InlineData(8, 0, -1, "negative total")]
    public void ChunkReply_OutOfBounds_IsMalformed(int dataLength, long offset, long total, string why)
    {
        var payload = new byte[ChunkReply.HeaderSize + dataLength];
        Sha.WriteTo(payload);
        BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(32), offset);
        BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(40), total);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(48), dataLength);
        Assert.True(Throws(ReplicationWire.ChunkReplyTypeId, payload), why);
    }

    [Fact]
    public void ChunkReply_ClaimingMoreBytesThanItCarries_IsMalformed()
    {
        var payload = _registry.ToEnvelope(Recipient, "", new ChunkReply(Sha, 0, 100, new byte[10])).Payload.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(48), 11);
        Assert.True(Throws(ReplicationWire.ChunkReplyTypeId, payload));
        Assert.True(Throws(ReplicationWire.ChunkReplyTypeId, payload[..^1]));
    }

    [Fact]
    public void FetchAndNotHere_OfTheWrongSizeOrReason_AreMalformed()
    {
        Assert.True(Throws(ReplicationWire.FetchChunkTypeId, new byte[FetchChunk.FixedSize - 1]));
        Assert.True(Throws(ReplicationWire.FetchChunkTypeId, new byte[FetchChunk.FixedSize + 1]));
        var notHere = new byte[ChunkNotHere.FixedSize];
        notHere[^1] = 3;
        Assert.True(Throws(ReplicationWire.ChunkNotHereTypeId, notHere));
    }

    [Fact]
    public void RandomPayloads_DecodeOrAreRefusedAsMalformed_NeverWorse()
    {
        var random = new Random(7);
        var ids = new[] { ReplicationWire.FetchChunkTypeId, ReplicationWire.ChunkReplyTypeId, ReplicationWire.ChunkNotHereTypeId };
        for (var i = 0; i < 3000; i++)
        {
            var payload = new byte[random.Next(0, 80)];
            random.NextBytes(payload);

            // Any exception but RemoteFormatException escapes and fails the test.
            Throws(ids[i % ids.Length], payload);
        }
    }

    private bool Throws(int typeId, byte[] payload)
    {
        try
        {
            _registry.FromEnvelope(new RemoteEnvelope(Recipient, "", SerializerIds.Binary, typeId, payload));
            return false;
        }
        catch (RemoteFormatException)
        {
            return true;
        }
    }
}
