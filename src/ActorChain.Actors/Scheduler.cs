using System.Collections.Concurrent;

namespace ActorChain.Actors;

public interface ICancelable
{
    void Cancel();

    bool IsCancellationRequested { get; }
}

/// <summary>The system-wide scheduler (for per-actor timers prefer <see cref="ITimerScheduler"/>).</summary>
public interface IScheduler
{
    void ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender);

    ICancelable ScheduleTellOnceCancelable(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender);

    ICancelable ScheduleTellRepeatedlyCancelable(TimeSpan initialDelay, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender);

    /// <summary>Runs <paramref name="action"/> on a pool thread after <paramref name="delay"/>.</summary>
    ICancelable ScheduleOnce(TimeSpan delay, Action action);
}

/// <summary>One <see cref="Timer"/> per scheduled item; every item still pending is cancelled when the system terminates.</summary>
internal sealed class TimerBasedScheduler : IScheduler, IDisposable
{
    private readonly ConcurrentDictionary<Item, byte> _pending = new();
    private volatile bool _disposed;

    public void ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender) =>
        ScheduleTellOnceCancelable(delay, receiver, message, sender);

    public ICancelable ScheduleTellOnceCancelable(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender) =>
        Schedule(delay, null, () => receiver.Tell(message, sender));

    public ICancelable ScheduleTellRepeatedlyCancelable(TimeSpan initialDelay, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        return Schedule(initialDelay, interval, () => receiver.Tell(message, sender));
    }

    public ICancelable ScheduleOnce(TimeSpan delay, Action action) => Schedule(delay, null, action);

    public void Dispose()
    {
        _disposed = true;
        foreach (var item in _pending.Keys)
        {
            item.Cancel();
        }
    }

    private Item Schedule(TimeSpan delay, TimeSpan? interval, Action action)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var item = new Item(this, action, interval is not null);
        _pending.TryAdd(item, 0);
        item.Start(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, interval ?? Timeout.InfiniteTimeSpan);
        return item;
    }

    private sealed class Item(TimerBasedScheduler owner, Action action, bool repeat) : ICancelable
    {
        private Timer? _timer;
        private int _cancelled;

        public bool IsCancellationRequested => Volatile.Read(ref _cancelled) != 0;

        public void Start(TimeSpan delay, TimeSpan period)
        {
            lock (this)
            {
                if (!IsCancellationRequested)
                {
                    _timer = new Timer(static s => ((Item)s!).Fire(), this, delay, period);
                }
            }
        }

        public void Cancel()
        {
            if (Interlocked.Exchange(ref _cancelled, 1) != 0)
            {
                return;
            }

            lock (this)
            {
                _timer?.Dispose();
            }

            owner._pending.TryRemove(this, out _);
        }

        private void Fire()
        {
            if (IsCancellationRequested)
            {
                return;
            }

            if (!repeat)
            {
                Cancel();
            }

            action();
        }
    }
}
