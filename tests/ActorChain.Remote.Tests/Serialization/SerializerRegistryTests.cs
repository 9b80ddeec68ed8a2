using System.Buffers.Binary;
using System.Text.Json.Serialization;
using ActorChain.Remote.Serialization;

namespace ActorChain.Remote.Tests.Serialization;

/// <summary>A hot message: fixed-size, hand-written codec.</summary>
internal sealed record Ping(long Height, int Round);

/// <summary>A rare message: JSON through the source-generated context below.</summary>
internal sealed record MemberInfo(string NodeId, string Address, IReadOnlyList<string> Roles);

[JsonSerializable(typeof(MemberInfo))]
internal sealed partial class TestMessagesJsonContext : JsonSerializerContext;

internal sealed class PingSerializer : BinaryMessageSerializer<Ping>
{
    public override int GetSize(Ping message) => 12;

    public override void Write(Ping message, Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, message.Height);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], message.Round);
    }

    public override Ping Read(ReadOnlySpan<byte> payload)
    {
        if (payload.Length != 12)
        {
            throw new RemoteFormatException($"a Ping is 12 bytes, not {payload.Length}");
        }

        return new Ping(BinaryPrimitives.ReadInt64LittleEndian(payload), BinaryPrimitives.ReadInt32LittleEndian(payload[8..]));
    }
}

/// <summary>The same codec, for a type that declares its instances immutable.</summary>
internal sealed record FrozenPing(long Height);

internal sealed class FrozenPingSerializer : BinaryMessageSerializer<FrozenPing>
{
    public int Writes { get; private set; }

    public override bool IsImmutable => true;

    public override int GetSize(FrozenPing message) => 8;

    public override void Write(FrozenPing message, Span<byte> destination)
    {
        Writes++;
        BinaryPrimitives.WriteInt64LittleEndian(destination, message.Height);
    }

    public override FrozenPing Read(ReadOnlySpan<byte> payload) => new(BinaryPrimitives.ReadInt64LittleEndian(payload));
}

public sealed class SerializerRegistryTests
{
    private readonly SerializerRegistry _registry = new();

    public SerializerRegistryTests()
    {
        _registry.Register(100, new PingSerializer());
        _registry.RegisterJson(200, TestMessagesJsonContext.Default.MemberInfo);
    }

    [Fact]
    public void BinaryMessage_RoundTripsThroughAnEnvelope()
    {
        var envelope = _registry.ToEnvelope("/user/chain", "/user/p", new Ping(42, 3));

        Assert.Equal(SerializerIds.Binary, envelope.SerializerId);
        Assert.Equal(100, envelope.TypeId);
        Assert.Equal(12, envelope.Payload.Length);
        Assert.Equal(new Ping(42, 3), _registry.FromEnvelope(envelope));
    }

    [Fact]
    public void AnImmutableMessageSentAgainAtOnce_IsWrittenOnce_AndAnotherInstanceAgain()
    {
        var serializer = new FrozenPingSerializer();
        _registry.Register(101, serializer);
        var broadcast = new FrozenPing(7);

        var toFirstPeer = _registry.ToEnvelope("/a", "", broadcast);
        var toSecondPeer = _registry.ToEnvelope("/b", "", broadcast);
        var equalButNew = _registry.ToEnvelope("/a", "", new FrozenPing(7));

        Assert.Equal(2, serializer.Writes);
        Assert.True(toFirstPeer.Payload.Span == toSecondPeer.Payload.Span, "the broadcast's second send reuses the first payload");
        Assert.Equal("/b", toSecondPeer.Recipient);
        Assert.Equal(broadcast, _registry.FromEnvelope(toSecondPeer));
        Assert.Equal(broadcast, _registry.FromEnvelope(equalButNew));
    }

    [Fact]
    public void AMessageNotDeclaredImmutable_IsWrittenForEverySend()
    {
        var ping = new Ping(42, 3);

        var first = _registry.ToEnvelope("/a", "", ping);
        var second = _registry.ToEnvelope("/b", "", ping);

        Assert.False(first.Payload.Span == second.Payload.Span, "each send has its own payload");
        Assert.Equal(first.Payload.ToArray(), second.Payload.ToArray());
    }

    [Fact]
    public void JsonMessage_RoundTripsThroughTheSourceGeneratedContext()
    {
        var member = new MemberInfo("node-a", "127.0.0.1:4053", ["voter", "gateway"]);

        var envelope = _registry.ToEnvelope("/system/cluster", "", member);
        var read = Assert.IsType<MemberInfo>(_registry.FromEnvelope(envelope));

        Assert.Equal(SerializerIds.Json, envelope.SerializerId);
        Assert.Equal(200, envelope.TypeId);
        Assert.Equal(member.NodeId, read.NodeId);
        Assert.Equal(member.Address, read.Address);
        Assert.Equal(member.Roles, read.Roles);
        Assert.StartsWith("{", System.Text.Encoding.UTF8.GetString(envelope.Payload.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void JsonMessages_SerializedOneAfterAnother_DoNotShareBytes()
    {
        var first = _registry.ToEnvelope("/a", "", new MemberInfo("node-a", "x:1", []));
        var second = _registry.ToEnvelope("/a", "", new MemberInfo("node-b", "y:2", []));

        Assert.Equal("node-a", ((MemberInfo)_registry.FromEnvelope(first)).NodeId);
        Assert.Equal("node-b", ((MemberInfo)_registry.FromEnvelope(second)).NodeId);
    }

    [Fact]
    public void UnknownTypeId_IsRefused() =>
        Assert.Throws<RemoteFormatException>(() => _registry.FromEnvelope(new RemoteEnvelope("/a", "", SerializerIds.Binary, 999, new byte[12])));

    [Fact]
    public void SerializerIdThatDoesNotMatchTheType_IsRefused() =>
        Assert.Throws<RemoteFormatException>(() => _registry.FromEnvelope(new RemoteEnvelope("/a", "", SerializerIds.Json, 100, new byte[12])));

    [Fact]
    public void BadJson_IsRefusedAsAFormatError() =>
        Assert.Throws<RemoteFormatException>(() => _registry.FromEnvelope(new RemoteEnvelope("/a", "", SerializerIds.Json, 200, "{\"NodeId\":"u8.ToArray())));

    [Fact]
    public void JsonNull_IsRefused() =>
        Assert.Throws<RemoteFormatException>(() => _registry.FromEnvelope(new RemoteEnvelope("/a", "", SerializerIds.Json, 200, "null"u8.ToArray())));

    [Fact]
    public void TypeIdRegisteredTwice_IsRefused() =>
        Assert.Throws<InvalidOperationException>(() => _registry.RegisterJson(100, TestMessagesJsonContext.Default.MemberInfo));

    [Fact]
    public void UnregisteredMessageType_CannotBeSent() =>
        Assert.Throws<InvalidOperationException>(() => _registry.ToEnvelope("/a", "", "a string"));

    [Fact]
    public void RegisteredType_HasItsStableId()
    {
        Assert.True(_registry.TryGetTypeId(typeof(Ping), out var id));
        Assert.Equal(100, id);
        Assert.False(_registry.TryGetTypeId(typeof(string), out _));
    }
}
