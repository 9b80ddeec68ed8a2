using Microsoft.Extensions.Logging;

namespace ActorChain.Actors;

/// <summary>
/// Base of every actor. The runtime creates instances from <see cref="Props"/> (never with <c>new</c>
/// outside Props) and calls <see cref="Receive"/> with one message at a time.
/// </summary>
public abstract class ActorBase
{
    private readonly ActorCell _cell;

    protected ActorBase()
    {
        _cell = ActorCell.Current ?? throw new ActorInitializationException(
            $"{GetType().Name} must be created by the actor system (ActorOf with Props), not with new.");
        _cell.InjectInto(this);
    }

    protected IActorContext Context => _cell;

    protected IActorRef Self => _cell.SelfRef;

    protected IActorRef Sender => _cell.Sender;

    protected ILogger Log => _cell.Log;

    /// <summary>The initial behavior. Return false for a message the actor does not handle.</summary>
    protected abstract bool Receive(object message);

    protected virtual void PreStart()
    {
    }

    protected virtual void PostStop()
    {
    }

    /// <summary>Called on the failed instance before it is replaced. The default stops all children and calls PostStop.</summary>
    protected virtual void PreRestart(Exception reason, object? message)
    {
        foreach (var child in Context.Children)
        {
            Context.Unwatch(child);
            Context.Stop(child);
        }

        PostStop();
    }

    /// <summary>Called on the fresh instance after a restart. The default calls PreStart.</summary>
    protected virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>Strategy for this actor's children (unless its Props set one).</summary>
    protected virtual SupervisorStrategy SupervisorStrategy() => Actors.SupervisorStrategy.DefaultStrategy;

    /// <summary>
    /// Called for messages no behavior handled. An unhandled <see cref="Terminated"/> throws
    /// <see cref="DeathPactException"/>; anything else is published as <see cref="UnhandledMessage"/> and logged.
    /// </summary>
    protected virtual void Unhandled(object message)
    {
        if (message is Terminated terminated)
        {
            throw new DeathPactException($"{Self.Path} watched {terminated.ActorRef.Path} but did not handle its Terminated.");
        }

        _cell.PublishUnhandled(message);
    }

    internal bool InvokeReceive(object message) => Receive(message);

    internal void InvokeUnhandled(object message) => Unhandled(message);

    internal void InvokePreStart() => PreStart();

    internal void InvokePostStop() => PostStop();

    internal void InvokePreRestart(Exception reason, object? message) => PreRestart(reason, message);

    internal void InvokePostRestart(Exception reason) => PostRestart(reason);

    internal SupervisorStrategy InvokeSupervisorStrategy() => SupervisorStrategy();

    /// <summary>Lets <see cref="ReceiveActor"/> freeze its handler table once the constructor has run.</summary>
    internal virtual void OnConstructed()
    {
    }

    internal Receive InitialBehavior => InvokeReceive;
}

/// <summary>An actor with a single <see cref="OnReceive"/> that handles everything it is sent.</summary>
public abstract class UntypedActor : ActorBase
{
    protected abstract void OnReceive(object message);

    protected sealed override bool Receive(object message)
    {
        OnReceive(message);
        return true;
    }

    /// <summary>Replaces the current behavior with <paramref name="receive"/>.</summary>
    protected void Become(Action<object> receive) => Context.Become(m =>
    {
        receive(m);
        return true;
    });

    protected void BecomeStacked(Action<object> receive) => Context.BecomeStacked(m =>
    {
        receive(m);
        return true;
    });

    protected void UnbecomeStacked() => Context.UnbecomeStacked();
}
