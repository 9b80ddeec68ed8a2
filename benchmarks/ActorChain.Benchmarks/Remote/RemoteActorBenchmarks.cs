using ActorChain.Actors;
using ActorChain.Remote.Actors;
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
    private Ping _ping = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _a = Start("node-a");
        _b = Start("node-b");
        var sink = _b.System.ActorOf(Props.Create(() => new SinkActor(_countdown)), "sink");
        var echo = _b.System.ActorOf(Props.Create(() => new EchoActor()), "echo");
        _remoteSink = _a.Resolve(sink.Path);
        _remoteEcho = _a.Resolve(echo.Path);
        _ping = new Ping(42);
        await _remoteEcho.Ask<Pong>(_ping, TimeSpan.FromSeconds(10));
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
            await _remoteEcho.Ask<Pong>(_ping, TimeSpan.FromSeconds(10));
        }
    }

    private static Remoting Start(string nodeId)
    {
        var remoting = Remoting.Create(
            "bench",
            new RemoteTransportOptions { NodeId = nodeId, ClusterId = "bench", SharedSecret = Secret, OutboundQueueCapacity = 1 << 20 });
        BenchMessages.Register(remoting.Serializers);
        return remoting;
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
            if (message is not Ping ping)
            {
                return false;
            }

            Sender.Tell(new Pong(ping.Seq), Self);
            return true;
        }
    }
}
