namespace ActorChain.Actors;

/// <summary>The ref of one incarnation of a local actor; equality is identity.</summary>
internal sealed class LocalActorRef(ActorCell cell, ActorPath path) : IInternalActorRef
{
    public ActorCell Cell { get; } = cell;

    public ActorPath Path { get; } = path;

    public ActorSystem System => Cell.System;

    public void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        Cell.Post(message, sender);
    }

    public void Watch(IActorRef watcher) => Cell.SendSystem(new WatchActor(watcher));

    public void Unwatch(IActorRef watcher) => Cell.SendSystem(new UnwatchActor(watcher));

    public void NotifyTerminated(Terminated terminated) => Cell.SendSystem(new DeathWatchNotification(terminated));

    public override string ToString() => $"[{Path}]";
}

internal sealed class DeadLetterActorRef(ActorSystem system, ActorPath path) : IInternalActorRef
{
    public ActorPath Path { get; } = path;

    public ActorSystem System { get; } = system;

    public void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message is DeadLetter dead)
        {
            System.PublishDeadLetter(dead.Message, dead.Sender, dead.Recipient);
        }
        else
        {
            System.PublishDeadLetter(message, sender, this);
        }
    }

    public void Watch(IActorRef watcher) => ActorCell.DeliverTerminated(watcher, new Terminated(this, ExistenceConfirmed: false));

    public void Unwatch(IActorRef watcher)
    {
    }

    public void NotifyTerminated(Terminated terminated)
    {
    }

    public override string ToString() => $"[{Path}]";
}
