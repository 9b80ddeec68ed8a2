namespace ActorChain.Actors;

public enum Directive
{
    /// <summary>Keep the actor and its state; the failing message is dropped.</summary>
    Resume,

    /// <summary>Replace the actor with a fresh instance from its Props; the failing message is dropped.</summary>
    Restart,

    Stop,

    /// <summary>Fail the supervisor itself with the same exception, for its own supervisor to decide.</summary>
    Escalate,
}

/// <summary>How a parent handles its children's failures.</summary>
public abstract class SupervisorStrategy
{
    /// <summary>
    /// Akka's default decider: stop on <see cref="ActorInitializationException"/> and
    /// <see cref="DeathPactException"/>, restart on anything else.
    /// </summary>
    public static Directive DefaultDecider(Exception cause) => cause switch
    {
        ActorInitializationException => Directive.Stop,
        DeathPactException => Directive.Stop,
        _ => Directive.Restart,
    };

    /// <summary>Default for every actor: <see cref="DefaultDecider"/>, at most 10 restarts per child per minute, then stop.</summary>
    public static readonly SupervisorStrategy DefaultStrategy = new OneForOneStrategy(10, TimeSpan.FromMinutes(1), DefaultDecider);

    public static readonly SupervisorStrategy StoppingStrategy = new OneForOneStrategy(static _ => Directive.Stop);

    public abstract Directive Decide(Exception cause);

    /// <summary>-1 for unlimited.</summary>
    public abstract int MaxNumberOfRetries { get; }

    /// <summary>Null for no window: the retries count over the child's lifetime.</summary>
    public abstract TimeSpan? WithinTimeRange { get; }
}

/// <summary>Applies the decider's directive to the failed child only.</summary>
public sealed class OneForOneStrategy : SupervisorStrategy
{
    private readonly Func<Exception, Directive> _decider;

    /// <param name="maxNrOfRetries">Restarts allowed within <paramref name="withinTimeRange"/>; null or -1 for unlimited, 0 for none.</param>
    /// <param name="withinTimeRange">The window the retries are counted in; null for the child's lifetime.</param>
    /// <param name="localOnlyDecider">Maps the child's exception to a directive.</param>
    public OneForOneStrategy(int? maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> localOnlyDecider)
    {
        ArgumentNullException.ThrowIfNull(localOnlyDecider);
        MaxNumberOfRetries = maxNrOfRetries ?? -1;
        WithinTimeRange = withinTimeRange is { } w && w > TimeSpan.Zero && w != Timeout.InfiniteTimeSpan ? w : null;
        _decider = localOnlyDecider;
    }

    public OneForOneStrategy(Func<Exception, Directive> localOnlyDecider)
        : this(null, null, localOnlyDecider)
    {
    }

    public override int MaxNumberOfRetries { get; }

    public override TimeSpan? WithinTimeRange { get; }

    public override Directive Decide(Exception cause) => _decider(cause);
}

/// <summary>Per-child restart bookkeeping of the parent.</summary>
internal sealed class ChildRestartStats(LocalActorRef child)
{
    private int _restarts;
    private long _windowStart;

    public LocalActorRef Child { get; } = child;

    /// <summary>The parent asked this child to stop (on Stop, on its own stop or restart).</summary>
    public bool Stopping { get; set; }

    public bool RequestRestartPermission(SupervisorStrategy strategy)
    {
        var max = strategy.MaxNumberOfRetries;
        if (max < 0)
        {
            return true;
        }

        if (max == 0)
        {
            return false;
        }

        if (strategy.WithinTimeRange is not { } window)
        {
            return ++_restarts <= max;
        }

        var now = Environment.TickCount64;
        if (_restarts == 0 || now - _windowStart > (long)window.TotalMilliseconds)
        {
            _windowStart = now;
            _restarts = 1;
            return true;
        }

        return ++_restarts <= max;
    }
}
