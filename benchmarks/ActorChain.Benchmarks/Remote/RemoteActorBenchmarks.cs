using System.Buffers.Binary;
using ActorChain.Actors;
using ActorChain.Remote;
using ActorChain.Remote.Actors;
using ActorChain.Remote.Serialization;
using ActorChain.Remote.Transport;
using BenchmarkDotNet.Attributes;

namespace ActorChain.Benchmarks.Remote;

/// <summary>
/// Two actor systems with remoting in one process over loopback: Tell throughput to a remote actor
/// and the Ask round trip (serialize, transport, deliver, reply to the temp ref, complete the task).
/// Compare with <see cref="RemoteTransportBenchmarks"/> for what the actor layer adds.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class RemoteActorBenchmarks
{
    private const int Burst = 100_000;
    private const int RoundTrips = 1_000;
    private static readonly byte[] Secret = "benchmark shared secret of 32 bytes"u8.ToArray();

    private readonly Countdown _countdown = new();
    private Remoting _a = null!;
    private Remoting _b = null!;
    private IActorRef _remoteSink = null!;
    private IActorRef _remoteEcho = null!;
    private BenchPing _ping = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _a = Start("node-a");
        _b = Start("node-b");
        var sink = _b.System.ActorOf(Props.Create(() => new SinkActor(_countdown)), "sink");
        var echo = _b.System.ActorOf(Props.Create(() => new EchoActor()), "echo");
        _remoteSink = _a.Resolve(sink.Path);
        _remoteEcho = _a.Resolve(echo.Path);
        _ping = new BenchPing(42);
        await _remoteEcho.Ask<BenchPong>(_ping, TimeSpan.FromSeconds(10));
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    /// <summary>Each operation is one Tell from node-a received by an actor on node-b.</summary>
    [Benchmark(OperationsPerInvoke = Burst)]
    public async Task RemoteTellThroughput()
    {
        var done = _countdown.Expect(Burst);
        for (var i = 0; i < Burst; i++)
        {
            _remoteSink.Tell(_ping, null);
        }

        await done.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Each operation is one Ask from node-a answered by an actor on node-b, one at a time.</summary>
    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public async Task RemoteAskRoundTrip()
    {
        for (var i = 0; i < RoundTrips; i++)
        {
            await _remoteEcho.Ask<BenchPong>(_ping, TimeSpan.FromSeconds(10));
        }
    }

    private static Remoting Start(string nodeId)
    {
        var remoting = Remoting.Create(
            "bench",
            new RemoteTransportOptions { NodeId = nodeId, ClusterId = "bench", SharedSecret = Secret, OutboundQueueCapacity = 1 << 20 });
        remoting.Serializers.Register(1, new PingSerializer());
        remoting.Serializers.Register(2, new PongSerializer());
        return remoting;
    }

    private sealed record BenchPing(long Seq);

    private sealed record BenchPong(long Seq);

    private sealed class PingSerializer : BinaryMessageSerializer<BenchPing>
    {
        public override int GetSize(BenchPing message) => 8;

        public override void Write(BenchPing message, Span<byte> destination) => BinaryPrimitives.WriteInt64LittleEndian(destination, message.Seq);

        public override BenchPing Read(ReadOnlySpan<byte> payload) =>
            payload.Length == 8 ? new BenchPing(BinaryPrimitives.ReadInt64LittleEndian(payload)) : throw new RemoteFormatException("a ping is 8 bytes");
    }

    private sealed class PongSerializer : BinaryMessageSerializer<BenchPong>
    {
        public override int GetSize(BenchPong message) => 8;

        public override void Write(BenchPong message, Span<byte> destination) => BinaryPrimitives.WriteInt64LittleEndian(destination, message.Seq);

        public override BenchPong Read(ReadOnlySpan<byte> payload) =>
            payload.Length == 8 ? new BenchPong(BinaryPrimitives.ReadInt64LittleEndian(payload)) : throw new RemoteFormatException("a pong is 8 bytes");
    }

    private sealed class Countdown
    {
        private TaskCompletionSource _done = new();
        private long _remaining;

        public Task Expect(int count)
        {
            _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _remaining, count);
            return _done.Task;
        }

        public void Hit()
        {
            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                _done.TrySetResult();
            }
        }
    }

    private sealed class SinkActor(Countdown countdown) : ActorBase
    {
        protected override bool Receive(object message)
        {
            countdown.Hit();
            return true;
        }
    }

    private sealed class EchoActor : ActorBase
    {
        protected override bool Receive(object message)
        {
            if (message is not BenchPing ping)
            {
                return false;
            }

            Sender.Tell(new BenchPong(ping.Seq), Self);
            return true;
        }
    }
}
