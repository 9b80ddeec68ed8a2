namespace ActorChain.Actors;

/// <summary>
/// Per-actor timers keyed by any object. Starting a timer with a key that is in use replaces it,
/// and a message from a cancelled or replaced timer is never delivered, even if it was already
/// enqueued. All timers are cancelled when the actor restarts or stops.
/// </summary>
public interface ITimerScheduler
{
    void StartSingleTimer(object key, object message, TimeSpan timeout);

    void StartPeriodicTimer(object key, object message, TimeSpan interval);

    void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval);

    bool IsTimerActive(object key);

    void Cancel(object key);

    void CancelAll();

    IReadOnlyCollection<object> ActiveTimers { get; }
}

/// <summary>Actors implementing this get <see cref="Timers"/> set by the runtime before the constructor's handlers run.</summary>
public interface IWithTimers
{
    ITimerScheduler Timers { get; set; }
}

internal sealed class TimerScheduler(ActorCell cell) : ITimerScheduler
{
    private readonly Dictionary<object, TimerEntry> _timers = [];
    private int _generation;
    private int _firedCount;

    /// <summary>How many timer ticks were enqueued; lets tests know a tick is in the mailbox.</summary>
    internal int FiredCount => Volatile.Read(ref _firedCount);

    public IReadOnlyCollection<object> ActiveTimers => [.. _timers.Keys];

    public void StartSingleTimer(object key, object message, TimeSpan timeout) => Start(key, message, timeout, null);

    public void StartPeriodicTimer(object key, object message, TimeSpan interval) => Start(key, message, interval, interval);

    public void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval) =>
        Start(key, message, initialDelay, interval);

    public bool IsTimerActive(object key) => _timers.ContainsKey(key);

    public void Cancel(object key)
    {
        if (_timers.Remove(key, out var entry))
        {
            entry.Dispose();
        }
    }

    public void CancelAll()
    {
        foreach (var entry in _timers.Values)
        {
            entry.Dispose();
        }

        _timers.Clear();
    }

    /// <summary>Returns the message to deliver for a tick, or null for a tick of a cancelled or replaced timer.</summary>
    internal object? OnTick(TimerTick tick)
    {
        if (!_timers.TryGetValue(tick.Key, out var entry) || entry.Generation != tick.Generation)
        {
            return null;
        }

        if (!entry.Periodic)
        {
            _timers.Remove(tick.Key);
            entry.Dispose();
        }

        return entry.Message;
    }

    private void Start(object key, object message, TimeSpan delay, TimeSpan? interval)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(message);
        Cancel(key);
        var entry = new TimerEntry(this, key, message, ++_generation, interval is not null);
        _timers[key] = entry;
        entry.Arm(Clamp(delay), interval is { } i ? Clamp(i) : Timeout.InfiniteTimeSpan);
    }

    private static TimeSpan Clamp(TimeSpan t) => t < TimeSpan.Zero ? TimeSpan.Zero : t;

    private void Fire(TimerEntry entry)
    {
        Interlocked.Increment(ref _firedCount);
        cell.EnqueueInternal(entry.Tick);
    }

    private sealed class TimerEntry(TimerScheduler owner, object key, object message, int generation, bool periodic) : IDisposable
    {
        private Timer? _timer;

        public object Message { get; } = message;

        public int Generation { get; } = generation;

        public bool Periodic { get; } = periodic;

        public TimerTick Tick { get; } = new(key, generation);

        public void Arm(TimeSpan delay, TimeSpan period) =>
            _timer = new Timer(static s => ((TimerEntry)s!).Fire(), this, delay, period);

        public void Dispose() => _timer?.Dispose();

        private void Fire() => owner.Fire(this);
    }
}

internal sealed record TimerTick(object Key, int Generation) : IAutoReceivedMessage;
