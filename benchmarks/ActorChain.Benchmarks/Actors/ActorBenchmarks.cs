using ActorChain.Actors;
using BenchmarkDotNet.Attributes;

namespace ActorChain.Benchmarks.Actors;

/// <summary>
/// Goals (quiet machine): one-to-one Tell ≥ 5,000,000 msgs/s (≤ 200 ns/op here, one op = one
/// message), no allocation per Tell of a pre-allocated message, Ask round trip ≤ 2 µs median.
/// </summary>
[MemoryDiagnoser]
public class ActorBenchmarks
{
    private const int Messages = 1_000_000;
    private const int FanInSenders = 8;

    private ActorSystem _system = null!;
    private IActorRef _counter = null!;
    private IActorRef _sender = null!;
    private IActorRef[] _fanInSenders = null!;
    private IActorRef _echo = null!;

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("bench");
        _counter = _system.ActorOf(Props.Create(() => new CountingActor()), "counter");
        _sender = _system.ActorOf(Props.Create(() => new SendingActor()), "sender");
        _fanInSenders = [.. Enumerable.Range(0, FanInSenders).Select(i => _system.ActorOf(Props.Create(() => new SendingActor()), $"sender{i}"))];
        _echo = _system.ActorOf(Props.Create(() => new EchoActor()), "echo");
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Dispose();

    /// <summary>One actor tells a pre-allocated message to another, one million times.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public void TellOneToOne()
    {
        var done = Expect(Messages);
        _sender.Tell(new SendBurst(_counter, Messages), null);
        done.Wait();
    }

    /// <summary>Eight actors tell one receiver, one million messages in all.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public void TellFanIn()
    {
        var done = Expect(Messages);
        foreach (var sender in _fanInSenders)
        {
            sender.Tell(new SendBurst(_counter, Messages / FanInSenders), null);
        }

        done.Wait();
    }

    [Benchmark]
    public Task<object> AskRoundTrip() => _echo.Ask<object>(Ping.Instance, TimeSpan.FromSeconds(5));

    private Task Expect(int count)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _counter.Tell(new ExpectCount(count, done), null);
        return done.Task;
    }

    private sealed class Ping
    {
        public static readonly Ping Instance = new();
    }

    private sealed record ExpectCount(int Count, TaskCompletionSource Done);

    private sealed record SendBurst(IActorRef Target, int Count);

    private sealed class CountingActor : ActorBase
    {
        private int _left;
        private TaskCompletionSource? _done;

        protected override bool Receive(object message)
        {
            if (ReferenceEquals(message, Ping.Instance))
            {
                if (--_left == 0)
                {
                    _done!.SetResult();
                }

                return true;
            }

            if (message is ExpectCount expect)
            {
                _left = expect.Count;
                _done = expect.Done;
                return true;
            }

            return false;
        }
    }

    private sealed class SendingActor : ActorBase
    {
        protected override bool Receive(object message)
        {
            if (message is not SendBurst burst)
            {
                return false;
            }

            var self = Self;
            var ping = Ping.Instance;
            for (var i = 0; i < burst.Count; i++)
            {
                burst.Target.Tell(ping, self);
            }

            return true;
        }
    }

    private sealed class EchoActor : ActorBase
    {
        protected override bool Receive(object message)
        {
            Sender.Tell(message, Self);
            return true;
        }
    }
}
