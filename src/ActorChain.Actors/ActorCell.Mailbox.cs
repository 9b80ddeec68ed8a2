using System.Collections.Concurrent;

namespace ActorChain.Actors;

/// <summary>
/// The mailbox: a lock-free MPSC user queue (ConcurrentQueue reuses its ring segments, so a Tell
/// of a pre-allocated message allocates nothing in steady state), a system queue drained before
/// every user message, and an Interlocked status word that makes sure at most one pool thread
/// runs the actor at a time.
/// </summary>
internal sealed partial class ActorCell : IThreadPoolWorkItem
{
    private const int StatusScheduled = 1;
    private const int StatusSuspended = 2;
    private const int StatusClosed = 4;

    private const int SuspendFailed = 1;
    private const int SuspendAsync = 2;
    private const int SuspendRecreate = 4;
    private const int SuspendTerminating = 8;

    private readonly ConcurrentQueue<Envelope> _userQueue = new();
    private readonly ConcurrentQueue<SystemMessage> _systemQueue = new();
    private readonly int _throughput;
    private readonly int _capacity;
    private readonly MailboxOverflowStrategy _overflow;
    private readonly TimeSpan _pushTimeout;
    private readonly object _spaceGate = new();
    private int _status;
    private int _count;
    private int _spaceWaiters;

    /// <summary>Only touched on the actor's turn.</summary>
    private int _suspendReasons;

    /// <summary>Unstashed messages, processed before the user queue; only touched on the actor's turn.</summary>
    private Queue<Envelope>? _prepended;

    internal bool IsClosed => (Volatile.Read(ref _status) & StatusClosed) != 0;

    /// <summary>Senders blocked by a full back-pressure mailbox (lets tests know a Tell is blocked).</summary>
    internal int BackPressureWaiters => Volatile.Read(ref _spaceWaiters);

    public void Post(object message, IActorRef? sender)
    {
        if (IsClosed)
        {
            _system.PublishDeadLetter(message, sender, SelfRef);
            return;
        }

        if (_capacity > 0 && !TryReserveSlot(message, sender))
        {
            return;
        }

        _userQueue.Enqueue(new Envelope(message, sender));
        ScheduleForUser();
        if (IsClosed)
        {
            DrainUserQueueToDeadLetters();
        }
    }

    /// <summary>Runtime-generated user-level messages (timer ticks, queued Terminated); never blocked or dropped for capacity.</summary>
    internal void EnqueueInternal(object message)
    {
        if (IsClosed)
        {
            return;
        }

        if (_capacity > 0)
        {
            Interlocked.Increment(ref _count);
        }

        _userQueue.Enqueue(new Envelope(message, null));
        ScheduleForUser();
        if (IsClosed)
        {
            DrainUserQueueToDeadLetters();
        }
    }

    internal void SendSystem(SystemMessage message)
    {
        if (IsClosed)
        {
            HandleSystemMessageAfterClose(message);
            return;
        }

        _systemQueue.Enqueue(message);
        ScheduleForSystem();
        if (IsClosed)
        {
            while (_systemQueue.TryDequeue(out var late))
            {
                HandleSystemMessageAfterClose(late);
            }
        }
    }

    internal void PrependUser(IReadOnlyList<Envelope> envelopes)
    {
        var queue = new Queue<Envelope>(envelopes.Count + (_prepended?.Count ?? 0));
        foreach (var envelope in envelopes)
        {
            queue.Enqueue(envelope);
        }

        if (_prepended is not null)
        {
            while (_prepended.TryDequeue(out var rest))
            {
                queue.Enqueue(rest);
            }
        }

        _prepended = queue;
    }

    public void Execute()
    {
        var previous = t_current;
        t_current = this;
        try
        {
            ProcessSystemMessages();
            var left = _throughput;
            while (left-- > 0 && _suspendReasons == 0)
            {
                if (!_systemQueue.IsEmpty)
                {
                    ProcessSystemMessages();
                    if (_suspendReasons != 0)
                    {
                        break;
                    }
                }

                if (!TryDequeueUser(out var envelope))
                {
                    break;
                }

                Invoke(envelope);
            }
        }
        finally
        {
            t_current = previous;
        }

        var status = Interlocked.And(ref _status, ~StatusScheduled) & ~StatusScheduled;
        if ((status & StatusClosed) != 0)
        {
            return;
        }

        if (!_systemQueue.IsEmpty)
        {
            ScheduleForSystem();
        }
        else if ((status & StatusSuspended) == 0 && ((_prepended?.Count ?? 0) > 0 || !_userQueue.IsEmpty))
        {
            ScheduleForUser();
        }
    }

    private void ScheduleForUser()
    {
        var status = Volatile.Read(ref _status);
        while ((status & (StatusScheduled | StatusSuspended | StatusClosed)) == 0)
        {
            var seen = Interlocked.CompareExchange(ref _status, status | StatusScheduled, status);
            if (seen == status)
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                return;
            }

            status = seen;
        }
    }

    private void ScheduleForSystem()
    {
        var status = Volatile.Read(ref _status);
        while ((status & (StatusScheduled | StatusClosed)) == 0)
        {
            var seen = Interlocked.CompareExchange(ref _status, status | StatusScheduled, status);
            if (seen == status)
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                return;
            }

            status = seen;
        }
    }

    private void Suspend(int reason)
    {
        if (_suspendReasons == 0)
        {
            Interlocked.Or(ref _status, StatusSuspended);
        }

        _suspendReasons |= reason;
    }

    private void Unsuspend(int reason)
    {
        if ((_suspendReasons & reason) == 0)
        {
            return;
        }

        _suspendReasons &= ~reason;
        if (_suspendReasons == 0)
        {
            // The turn that clears the flag reschedules in Execute's epilogue if messages wait.
            Interlocked.And(ref _status, ~StatusSuspended);
        }
    }

    private bool TryDequeueUser(out Envelope envelope)
    {
        if (_prepended is { Count: > 0 } prepended)
        {
            envelope = prepended.Dequeue();
            return true;
        }

        if (!_userQueue.TryDequeue(out envelope))
        {
            return false;
        }

        if (_capacity > 0)
        {
            ReleaseSlot();
        }

        return true;
    }

    private bool TryReserve()
    {
        var count = Volatile.Read(ref _count);
        while (count < _capacity)
        {
            var seen = Interlocked.CompareExchange(ref _count, count + 1, count);
            if (seen == count)
            {
                return true;
            }

            count = seen;
        }

        return false;
    }

    private bool TryReserveSlot(object message, IActorRef? sender)
    {
        if (TryReserve())
        {
            return true;
        }

        if (_overflow == MailboxOverflowStrategy.DropNew || t_current == this || !WaitForSlot())
        {
            _system.PublishDeadLetter(message, sender, SelfRef);
            return false;
        }

        return true;
    }

    private bool WaitForSlot()
    {
        var deadline = Environment.TickCount64 + (long)_pushTimeout.TotalMilliseconds;
        lock (_spaceGate)
        {
            Interlocked.Increment(ref _spaceWaiters);
            try
            {
                while (!TryReserve())
                {
                    var left = deadline - Environment.TickCount64;
                    if (left <= 0 || IsClosed)
                    {
                        return false;
                    }

                    Monitor.Wait(_spaceGate, TimeSpan.FromMilliseconds(left));
                }

                return true;
            }
            finally
            {
                Interlocked.Decrement(ref _spaceWaiters);
            }
        }
    }

    private void ReleaseSlot()
    {
        Interlocked.Decrement(ref _count);
        if (Volatile.Read(ref _spaceWaiters) > 0)
        {
            WakeSpaceWaiters();
        }
    }

    private void WakeSpaceWaiters()
    {
        lock (_spaceGate)
        {
            Monitor.PulseAll(_spaceGate);
        }
    }

    private void DrainUserQueueToDeadLetters()
    {
        while (_userQueue.TryDequeue(out var envelope))
        {
            if (envelope.Message is not IAutoReceivedMessage || envelope.Message is PoisonPill)
            {
                _system.PublishDeadLetter(envelope.Message, envelope.Sender, SelfRef);
            }
        }
    }
}
