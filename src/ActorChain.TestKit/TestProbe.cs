using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using ActorChain.Actors;
using Xunit;

namespace ActorChain.TestKit;

/// <summary>
/// An actor whose inbox the test reads: send it messages (or make it the sender), then assert on
/// what arrived with the Expect methods. Failures say what did not happen and what came instead.
/// </summary>
public sealed class TestProbe
{
    private static int s_counter;
    private readonly BlockingCollection<Envelope> _inbox = [];
    private long? _deadline;

    public TestProbe(ActorSystem system, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        System = system;
        Ref = system.SystemActorOf(
            Props.Create(() => new ProbeActor(_inbox)),
            name ?? "testProbe-" + Interlocked.Increment(ref s_counter).ToString(CultureInfo.InvariantCulture));
    }

    public ActorSystem System { get; }

    public IActorRef Ref { get; }

    /// <summary>Sender of the last message an Expect/Receive returned.</summary>
    public IActorRef LastSender { get; private set; } = ActorRefs.Nobody;

    public object? LastMessage { get; private set; }

    /// <summary>Time left in the innermost <see cref="Within(TimeSpan, Action)"/>, else the dilated default (3 s).</summary>
    public TimeSpan RemainingOrDefault => _deadline is { } d
        ? TimeSpan.FromSeconds(Math.Max(0, (double)(d - Stopwatch.GetTimestamp()) / Stopwatch.Frequency))
        : TestTime.Dilated(TestTime.DefaultTimeout);

    public static TimeSpan Dilated(TimeSpan duration) => TestTime.Dilated(duration);

    /// <summary>Expects the next message to be a <typeparamref name="T"/> (matching <paramref name="predicate"/>) and returns it.</summary>
    public T ExpectMsg<T>(Predicate<T>? predicate = null, TimeSpan? timeout = null, string? hint = null)
    {
        var wait = Wait(timeout);
        var what = $"a {typeof(T).Name}{(hint is null ? string.Empty : $" ({hint})")}";
        if (!TryReceive(wait, out var envelope))
        {
            Assert.Fail($"Expected {what} within {TestTime.Format(wait)}, got nothing.");
        }

        if (envelope.Message is not T typed)
        {
            Assert.Fail($"Expected {what} within {TestTime.Format(wait)}, got {Describe(envelope)}.");
            throw new UnreachableException();
        }

        if (predicate is not null && !predicate(typed))
        {
            Assert.Fail($"Expected {what} matching the predicate within {TestTime.Format(wait)}, got {Describe(envelope)} which does not match.");
        }

        return typed;
    }

    /// <summary>Expects the next message to equal <paramref name="expected"/>.</summary>
    public T ExpectMsg<T>(T expected, TimeSpan? timeout = null)
        where T : notnull
    {
        var wait = Wait(timeout);
        if (!TryReceive(wait, out var envelope))
        {
            Assert.Fail($"Expected {Show(expected)} within {TestTime.Format(wait)}, got nothing.");
        }

        if (!Equals(envelope.Message, expected))
        {
            Assert.Fail($"Expected {Show(expected)} within {TestTime.Format(wait)}, got {Describe(envelope)}.");
        }

        return (T)envelope.Message;
    }

    /// <summary>Expects nothing to arrive for <paramref name="duration"/> (dilated).</summary>
    public void ExpectNoMsg(TimeSpan duration)
    {
        var wait = TestTime.Dilated(duration);
        if (TryReceive(wait, out var envelope))
        {
            Assert.Fail($"Expected no message for {TestTime.Format(wait)}, got {Describe(envelope)}.");
        }
    }

    /// <summary>Expects the Terminated of <paramref name="actor"/>; call <see cref="Watch"/> first.</summary>
    public Terminated ExpectTerminated(IActorRef actor, TimeSpan? timeout = null)
    {
        var wait = Wait(timeout);
        if (!TryReceive(wait, out var envelope))
        {
            Assert.Fail($"Expected Terminated of {actor.Path} within {TestTime.Format(wait)}, got nothing (did the probe Watch it?).");
        }

        if (envelope.Message is not Terminated terminated || !terminated.ActorRef.Equals(actor))
        {
            Assert.Fail($"Expected Terminated of {actor.Path} within {TestTime.Format(wait)}, got {Describe(envelope)}.");
            throw new UnreachableException();
        }

        return terminated;
    }

    /// <summary>Skips messages until one is a <typeparamref name="T"/> matching <paramref name="isTarget"/>, within the timeout.</summary>
    public T FishForMessage<T>(Predicate<T>? isTarget = null, TimeSpan? timeout = null)
    {
        var wait = Wait(timeout);
        var end = Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency);
        var skipped = 0;
        while (true)
        {
            var left = TimeSpan.FromSeconds(Math.Max(0, (double)(end - Stopwatch.GetTimestamp()) / Stopwatch.Frequency));
            if (!TryReceive(left, out var envelope))
            {
                Assert.Fail($"Expected a {typeof(T).Name} matching the predicate within {TestTime.Format(wait)}, got none ({skipped} other messages skipped).");
            }

            if (envelope.Message is T typed && (isTarget is null || isTarget(typed)))
            {
                return typed;
            }

            skipped++;
        }
    }

    /// <summary>Receives the next message of any type, or null when none arrives in time.</summary>
    public object? ReceiveOne(TimeSpan? timeout = null) => TryReceive(Wait(timeout), out var envelope) ? envelope.Message : null;

    /// <summary>Receives exactly <paramref name="count"/> messages, all within the timeout.</summary>
    public IReadOnlyList<object> ReceiveN(int count, TimeSpan? timeout = null)
    {
        var wait = Wait(timeout);
        var end = Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency);
        var received = new List<object>(count);
        while (received.Count < count)
        {
            var left = TimeSpan.FromSeconds(Math.Max(0, (double)(end - Stopwatch.GetTimestamp()) / Stopwatch.Frequency));
            if (!TryReceive(left, out var envelope))
            {
                Assert.Fail($"Expected {count} messages within {TestTime.Format(wait)}, got {received.Count}.");
            }

            received.Add(envelope.Message);
        }

        return received;
    }

    /// <summary>Tells <paramref name="message"/> to the sender of the last received message, with this probe as sender.</summary>
    public void Reply(object message) => LastSender.Tell(message, Ref);

    /// <summary>Tells the last received message to <paramref name="target"/>, keeping its original sender.</summary>
    public void Forward(IActorRef target) =>
        target.Tell(LastMessage ?? throw new InvalidOperationException("The probe has received no message to forward."), LastSender);

    /// <summary>Tells <paramref name="message"/> to <paramref name="target"/> with this probe as sender.</summary>
    public void Send(IActorRef target, object message) => target.Tell(message, Ref);

    /// <summary>The probe receives <see cref="Terminated"/> when <paramref name="actor"/> stops. Returns once the watch is in place.</summary>
    public IActorRef Watch(IActorRef actor)
    {
        Control(new ProbeActor.WatchCommand(actor, Watch: true));
        return actor;
    }

    public IActorRef Unwatch(IActorRef actor)
    {
        Control(new ProbeActor.WatchCommand(actor, Watch: false));
        return actor;
    }

    /// <summary>Runs <paramref name="action"/>; Expects inside it default to the time left, and it must finish within <paramref name="max"/>.</summary>
    public void Within(TimeSpan max, Action action) => Within(max, () =>
    {
        action();
        return 0;
    });

    public T Within<T>(TimeSpan max, Func<T> action)
    {
        var dilated = TestTime.Dilated(max);
        var start = Stopwatch.GetTimestamp();
        var previous = _deadline;
        var deadline = start + (long)(dilated.TotalSeconds * Stopwatch.Frequency);
        _deadline = previous is { } p && p < deadline ? p : deadline;
        T result;
        try
        {
            result = action();
        }
        finally
        {
            _deadline = previous;
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        if (elapsed > dilated)
        {
            Assert.Fail($"Within({TestTime.Format(dilated)}): the block took {TestTime.Format(elapsed)}.");
        }

        return result;
    }

    public void AwaitAssert(Action assertion, TimeSpan? duration = null, TimeSpan? interval = null) =>
        Awaiting.AwaitAssert(assertion, Wait(duration), interval ?? TimeSpan.FromMilliseconds(50));

    public void AwaitCondition(Func<bool> condition, TimeSpan? duration = null, TimeSpan? interval = null, string? message = null) =>
        Awaiting.AwaitCondition(condition, Wait(duration), interval ?? TimeSpan.FromMilliseconds(50), message);

    internal bool HasMessages => _inbox.Count > 0;

    private TimeSpan Wait(TimeSpan? timeout) => timeout is { } t ? TestTime.Dilated(t) : RemainingOrDefault;

    private bool TryReceive(TimeSpan wait, out Envelope envelope)
    {
        if (!_inbox.TryTake(out envelope, wait))
        {
            return false;
        }

        LastMessage = envelope.Message;
        LastSender = envelope.Sender ?? System.DeadLetters;
        return true;
    }

    private void Control(ProbeActor.WatchCommand command)
    {
        Ref.Tell(command, null);
        var wait = TestTime.Dilated(TestTime.DefaultTimeout);
        if (!command.Done.Task.Wait(wait))
        {
            Assert.Fail($"The probe {Ref.Path} did not confirm {(command.Watch ? "Watch" : "Unwatch")} of {command.Target.Path} within {TestTime.Format(wait)}.");
        }
    }

    private static string Show(object value) => $"{value.GetType().Name} '{value}'";

    private static string Describe(Envelope envelope) =>
        $"{Show(envelope.Message)} from {envelope.Sender?.Path.ToString() ?? "no sender"}";

    private sealed class ProbeActor(BlockingCollection<Envelope> inbox) : ActorBase
    {
        protected override bool Receive(object message)
        {
            if (message is WatchCommand command)
            {
                if (command.Watch)
                {
                    Context.Watch(command.Target);
                }
                else
                {
                    Context.Unwatch(command.Target);
                }

                command.Done.TrySetResult();
                return true;
            }

            inbox.Add(new Envelope(message, Context.Sender.Equals(Context.System.DeadLetters) ? null : Context.Sender));
            return true;
        }

        public sealed record WatchCommand(IActorRef Target, bool Watch)
        {
            public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
