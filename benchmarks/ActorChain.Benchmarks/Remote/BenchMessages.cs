using System.Buffers.Binary;
using ActorChain.Remote;
using ActorChain.Remote.Serialization;

namespace ActorChain.Benchmarks.Remote;

/// <summary>The 8-byte messages the remoting benchmarks send. A negative sequence number marks the last message of a burst; a sink answers only that one.</summary>
internal sealed record Ping(long Seq);

internal sealed record Pong(long Seq);

internal static class BenchMessages
{
    /// <summary>Registers <see cref="Ping"/> (type id 1) and <see cref="Pong"/> (type id 2), as both sides of a benchmark must.</summary>
    public static void Register(SerializerRegistry serializers)
    {
        serializers.Register(1, new SeqSerializer<Ping>(seq => new Ping(seq), ping => ping.Seq, "a ping"));
        serializers.Register(2, new SeqSerializer<Pong>(seq => new Pong(seq), pong => pong.Seq, "a pong"));
    }

    private sealed class SeqSerializer<T>(Func<long, T> create, Func<T, long> seq, string what) : BinaryMessageSerializer<T>
    {
        public override int GetSize(T message) => 8;

        public override void Write(T message, Span<byte> destination) => BinaryPrimitives.WriteInt64LittleEndian(destination, seq(message));

        public override T Read(ReadOnlySpan<byte> payload) =>
            payload.Length == 8 ? create(BinaryPrimitives.ReadInt64LittleEndian(payload)) : throw new RemoteFormatException($"{what} is 8 bytes");
    }
}
