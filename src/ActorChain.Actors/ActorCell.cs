using System.Reflection;
using Microsoft.Extensions.Logging;

namespace ActorChain.Actors;

/// <summary>
/// The runtime side of one actor: mailbox, children, death watch, supervision and the current
/// actor instance (replaced on restart). Everything except the enqueue paths runs on the actor's
/// own turn, one pool thread at a time, so only the mailbox needs atomics.
/// </summary>
internal sealed partial class ActorCell : IActorContext
{
    [ThreadStatic]
    private static ActorCell? t_current;

    private readonly ActorSystem _system;
    private readonly Props _props;
    private readonly ActorCell? _parent;
    private readonly List<Receive> _behaviors = [];
    private ActorBase? _actor;
    private ILogger? _log;
    private TimerScheduler? _timers;
    private ActorStash? _stash;
    private Envelope _current;
    private bool _hasCurrent;
    private bool _currentStashed;
    private object? _failedMessage;

    public ActorCell(ActorSystem system, Props props, ActorCell? parent, string name)
    {
        _system = system;
        _props = props;
        _parent = parent;
        var path = parent is null ? ActorPath.RootOf(system.Address) : parent.SelfRef.Path / name;
        SelfRef = new LocalActorRef(this, path);
        var mailbox = props.Mailbox;
        _throughput = Math.Max(1, mailbox.Throughput ?? system.Settings.Throughput);
        _capacity = mailbox.Capacity ?? 0;
        _overflow = mailbox.Overflow;
        _pushTimeout = mailbox.PushTimeout ?? TimeSpan.FromSeconds(10);
    }

    /// <summary>The cell whose turn is running on this thread, if any.</summary>
    public static ActorCell? Current => t_current;

    public LocalActorRef SelfRef { get; }

    public ActorSystem System => _system;

    public Props Props => _props;

    public IActorRef Self => SelfRef;

    public IActorRef Sender => _hasCurrent && _current.Sender is { } sender ? sender : _system.DeadLetters;

    public IActorRef? CurrentSenderOrNull => _hasCurrent ? _current.Sender : null;

    public IActorRef Parent => _parent?.SelfRef ?? (IActorRef)ActorRefs.Nobody;

    public ILogger Log => _log ??= _system.LoggerFactory.CreateLogger(_props.ActorType.FullName ?? _props.ActorType.Name);

    internal ITimerScheduler Timers => _timers ??= new TimerScheduler(this);

    internal TimerScheduler? TimersIfCreated => _timers;

    internal IStash Stash => _stash ??= new ActorStash(this);

    public void Become(Receive receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        if (_behaviors.Count > 1)
        {
            _behaviors[^1] = receive;
        }
        else
        {
            _behaviors.Add(receive);
        }
    }

    public void BecomeStacked(Receive receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        _behaviors.Add(receive);
    }

    public void UnbecomeStacked()
    {
        if (_behaviors.Count > 1)
        {
            _behaviors.RemoveAt(_behaviors.Count - 1);
        }
    }

    internal Envelope CurrentEnvelopeForStash()
    {
        if (!_hasCurrent)
        {
            throw new InvalidOperationException("There is no message to stash outside message processing.");
        }

        if (_currentStashed)
        {
            throw new InvalidOperationException($"The message {_current.Message.GetType().Name} is already stashed.");
        }

        _currentStashed = true;
        return _current;
    }

    internal void PublishUnhandled(object message)
    {
        var sender = Sender;
        ActorsLog.Unhandled(Log, message.GetType().Name, sender.Path, SelfRef.Path);
        _system.EventStream.Publish(new UnhandledMessage(message, sender, SelfRef));
    }

    /// <summary>Runs one user message through the auto-received filter and the current behavior.</summary>
    private void Invoke(Envelope envelope)
    {
        _current = envelope;
        _hasCurrent = true;
        _currentStashed = false;
        var resetTimeout = true;
        try
        {
            if (envelope.Message is IAutoReceivedMessage auto)
            {
                resetTimeout = AutoReceive(auto);
            }
            else
            {
                ReceiveMessage(envelope.Message);
            }
        }
        catch (Exception ex)
        {
            HandleInvokeFailure(ex, null);
        }
        finally
        {
            if ((_suspendReasons & SuspendAsync) == 0)
            {
                _hasCurrent = false;
                _current = default;
            }
        }

        if (resetTimeout && _receiveTimeout is not null && !_isTerminating)
        {
            ResetReceiveTimeout();
        }
    }

    private void ReceiveMessage(object message)
    {
        var actor = _actor!;
        if (!_behaviors[^1](message))
        {
            actor.InvokeUnhandled(message);
        }
    }

    /// <summary>Returns false for ticks that must not count as activity for the receive timeout.</summary>
    private bool AutoReceive(IAutoReceivedMessage message)
    {
        switch (message)
        {
            case PoisonPill:
                BeginTerminate();
                return true;
            case QueuedTerminated(var terminated):
                if (_terminatedQueued?.Remove(terminated.ActorRef) == true)
                {
                    _current = new Envelope(terminated, terminated.ActorRef);
                    ReceiveMessage(terminated);
                }

                return true;
            case TimerTick tick:
                if (_timers?.OnTick(tick) is { } timerMessage)
                {
                    _current = new Envelope(timerMessage, null);
                    ReceiveMessage(timerMessage);
                    return true;
                }

                return false;
            case ReceiveTimeoutTick timeoutTick:
                if (timeoutTick.Generation == Volatile.Read(ref _receiveTimeoutGeneration) && _receiveTimeout is not null)
                {
                    _current = new Envelope(ActorChain.Actors.ReceiveTimeout.Instance, null);
                    ReceiveMessage(ActorChain.Actors.ReceiveTimeout.Instance);
                    return true;
                }

                return false;
            default:
                return false;
        }
    }

    /// <summary>Creates a fresh instance from Props; the base constructor picks this cell up through <see cref="Current"/>.</summary>
    private void NewActor()
    {
        var previous = t_current;
        t_current = this;
        try
        {
            _actor = _props.NewActor();
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
        finally
        {
            t_current = previous;
        }

        _actor.OnConstructed();
        _behaviors.Clear();
        _behaviors.Add(_actor.InitialBehavior);
    }

    internal void InjectInto(ActorBase actor)
    {
        if (actor is IWithTimers withTimers)
        {
            withTimers.Timers = Timers;
        }

        if (actor is IWithStash withStash)
        {
            withStash.Stash = Stash;
        }
    }

    private void Create()
    {
        try
        {
            NewActor();
            _actor!.InvokePreStart();
        }
        catch (Exception ex)
        {
            HandleInvokeFailure(new ActorInitializationException($"{SelfRef.Path} could not be created: {ex.Message}", ex), null);
        }
    }

    private void SafeHook(string hook, Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            ActorsLog.HookFailed(Log, ex, hook, SelfRef.Path);
        }
    }

    public override string ToString() => SelfRef.ToString();
}
