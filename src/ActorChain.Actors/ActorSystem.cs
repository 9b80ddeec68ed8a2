using System.Collections.Concurrent;
using System.Globalization;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace ActorChain.Actors;

/// <summary>
/// A hierarchy of actors: the root guardian "/" with the "/user" guardian (parent of everything
/// made with <see cref="ActorOf"/>) and the "/system" guardian. Terminating stops /user first and
/// /system after it; every actor stops its children before its own PostStop runs.
/// </summary>
public sealed class ActorSystem : IDisposable
{
    private readonly ILogger _log;
    private readonly ActorCell _root;
    private readonly ActorCell _userGuardian;
    private readonly ActorCell _systemGuardian;
    private readonly TimerBasedScheduler _scheduler = new();
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, IActorRef> _temp = new(StringComparer.Ordinal);
    private readonly ActorPath _tempPath;
    private readonly PosixSignalRegistration? _sigterm;
    private long _deadLetterCount;
    private long _nextTempId;
    private long _deadLetterSummaryTick;
    private long _deadLetterSummaryCount;
    private int _terminating;

    private ActorSystem(string name, ActorSystemSettings settings)
    {
        if (!Address.IsValidSystemName(name))
        {
            throw new ArgumentException($"Actor system name '{name}' may only contain ASCII letters, digits, '-', '_' and '.'.", nameof(name));
        }

        if ((settings.Host is null) != (settings.Port is null))
        {
            throw new ArgumentException("Host and Port must be set together.", nameof(settings));
        }

        Name = name;
        Settings = settings;
        LoggerFactory = settings.LoggerFactory;
        Address = new Address(name, settings.Host, settings.Port);
        _log = LoggerFactory.CreateLogger<ActorSystem>();
        var rootPath = ActorPath.RootOf(Address);
        DeadLetters = new DeadLetterActorRef(this, rootPath / "deadLetters");
        _tempPath = rootPath / "temp";
        _deadLetterSummaryTick = Environment.TickCount64;
        _deadLetterSummaryCount = settings.DeadLetterLogCount;

        _root = new ActorCell(this, Props.Create(() => new RootGuardian()).WithSupervisorStrategy(SupervisorStrategy.StoppingStrategy), null, string.Empty);
        var userProps = Props.Create(() => new Guardian());
        if (settings.UserGuardianSupervisorStrategy is { } userStrategy)
        {
            userProps = userProps.WithSupervisorStrategy(userStrategy);
        }

        _userGuardian = _root.AttachChild(userProps, "user", reservedNamesAllowed: true).Cell;
        _systemGuardian = _root.AttachChild(Props.Create(() => new Guardian()), "system", reservedNamesAllowed: true).Cell;
        _root.SendSystem(CreateActor.Instance);

        if (settings.TerminateOnProcessExit)
        {
            _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => TerminateAndWait());
            AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        }

        ActorsLog.SystemStarted(_log, name, Address);
    }

    public static ActorSystem Create(string name, ActorSystemSettings? settings = null) => new(name, settings ?? ActorSystemSettings.Default);

    public string Name { get; }

    public ActorSystemSettings Settings { get; }

    public Address Address { get; }

    public ILoggerFactory LoggerFactory { get; }

    public IScheduler Scheduler => _scheduler;

    public EventStream EventStream { get; } = new();

    public IActorRef DeadLetters { get; }

    /// <summary>Messages that reached no actor since the system started.</summary>
    public long DeadLetterCount => Interlocked.Read(ref _deadLetterCount);

    /// <summary>Completes once every actor, guardians included, has stopped.</summary>
    public Task WhenTerminated => _terminated.Task;

    /// <summary>Creates a top-level actor under /user.</summary>
    public IActorRef ActorOf(Props props, string? name = null)
    {
        ThrowIfTerminating();
        return _userGuardian.ActorOf(props, name);
    }

    /// <summary>Creates an actor under /system, for infrastructure (remoting, cluster, test kits).</summary>
    public IActorRef SystemActorOf(Props props, string? name = null)
    {
        ThrowIfTerminating();
        return _systemGuardian.ActorOf(props, name);
    }

    /// <summary>Stops any local actor: it finishes its current message, stops its children, runs PostStop.</summary>
    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is LocalActorRef local)
        {
            local.Cell.SendSystem(TerminateActor.Instance);
        }
        else
        {
            actor.Tell(PoisonPill.Instance, null);
        }
    }

    /// <summary>Stops all actors, children before parents, /user before /system. Returns <see cref="WhenTerminated"/>.</summary>
    public Task Terminate()
    {
        if (Interlocked.Exchange(ref _terminating, 1) == 0)
        {
            ActorsLog.SystemTerminating(_log, Name);
            _userGuardian.SendSystem(TerminateActor.Instance);
        }

        return WhenTerminated;
    }

    /// <summary>
    /// Finds a live local actor (or a pending Ask's temporary ref) by path, so remoting can deliver
    /// to paths it received. The path's address must be this system's (or its local form).
    /// </summary>
    public bool TryResolveLocal(ActorPath path, [NotNullWhen(true)] out IActorRef? actorRef)
    {
        ArgumentNullException.ThrowIfNull(path);
        actorRef = null;
        if (path.Address != Address && !(path.Address.System == Name && !path.Address.HasGlobalScope))
        {
            return false;
        }

        var elements = path.Elements;
        if (elements.Count == 0)
        {
            actorRef = _root.SelfRef;
            return true;
        }

        if (elements.Count == 1 && elements[0] == "deadLetters")
        {
            actorRef = DeadLetters;
            return true;
        }

        if (elements.Count == 2 && elements[0] == "temp")
        {
            return _temp.TryGetValue(elements[1], out actorRef);
        }

        var cell = _root;
        foreach (var element in elements)
        {
            cell = cell.GetChildCell(element);
            if (cell is null)
            {
                return false;
            }
        }

        if (cell.IsClosed)
        {
            return false;
        }

        actorRef = cell.SelfRef;
        return true;
    }

    public void Dispose()
    {
        var task = Terminate();
        if (ActorCell.Current is null && !task.Wait(Settings.ShutdownTimeout))
        {
            ActorsLog.ShutdownTimedOut(_log, Name, Settings.ShutdownTimeout);
        }
    }

    public override string ToString() => Address.ToString();

    internal ActorPath RegisterTemp(IActorRef promise)
    {
        var name = "$" + Interlocked.Increment(ref _nextTempId).ToString(CultureInfo.InvariantCulture);
        _temp[name] = promise;
        return _tempPath / name;
    }

    internal void UnregisterTemp(ActorPath path) => _temp.TryRemove(path.Name, out _);

    internal void PublishDeadLetter(object message, IActorRef? sender, IActorRef recipient)
    {
        var count = Interlocked.Increment(ref _deadLetterCount);
        if (message is DeadLetter or UnhandledMessage)
        {
            return;
        }

        var senderRef = sender ?? DeadLetters;
        if (EventStream.HasSubscribers)
        {
            EventStream.Publish(new DeadLetter(message, senderRef, recipient));
        }

        if (!_log.IsEnabled(LogLevel.Information))
        {
            return;
        }

        if (count <= Settings.DeadLetterLogCount)
        {
            ActorsLog.DeadLetter(_log, message.GetType().Name, senderRef.Path, recipient.Path, count);
            return;
        }

        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _deadLetterSummaryTick);
        if (now - last >= (long)Settings.DeadLetterLogInterval.TotalMilliseconds &&
            Interlocked.CompareExchange(ref _deadLetterSummaryTick, now, last) == last)
        {
            var logged = Interlocked.Exchange(ref _deadLetterSummaryCount, count);
            ActorsLog.DeadLettersSuppressed(_log, count - logged, Settings.DeadLetterLogInterval, count);
        }
    }

    internal void OnRootTerminated()
    {
        _scheduler.Dispose();
        _sigterm?.Dispose();
        if (Settings.TerminateOnProcessExit)
        {
            AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        }

        ActorsLog.SystemTerminated(_log, Name);
        _terminated.TrySetResult();
    }

    private void ThrowIfTerminating()
    {
        if (Volatile.Read(ref _terminating) != 0)
        {
            throw new InvalidOperationException($"Actor system {Name} is terminating; no new actors can be created.");
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => TerminateAndWait();

    private void TerminateAndWait()
    {
        if (!Terminate().Wait(Settings.ShutdownTimeout))
        {
            ActorsLog.ShutdownTimedOut(_log, Name, Settings.ShutdownTimeout);
        }
    }

    /// <summary>Guardian of /user and /system: handles nothing itself.</summary>
    private sealed class Guardian : ActorBase
    {
        protected override bool Receive(object message) => false;
    }

    /// <summary>Stops /system once /user is gone, then itself, which completes termination.</summary>
    private sealed class RootGuardian : ActorBase
    {
        private IActorRef? _user;
        private IActorRef? _system;

        protected override void PreStart()
        {
            _user = Context.Child("user");
            _system = Context.Child("system");
            Context.Watch(_user);
            Context.Watch(_system);
        }

        protected override bool Receive(object message)
        {
            if (message is not Terminated terminated)
            {
                return false;
            }

            if (terminated.ActorRef.Equals(_user))
            {
                Context.Stop(_system!);
            }
            else if (terminated.ActorRef.Equals(_system))
            {
                Context.Stop(Self);
            }

            return true;
        }
    }
}
