using ActorChain.Actors;

namespace ActorChain.Remote.Actors;

/// <summary>
/// An actor on another node. Tell serializes the message and queues it for that node's transport
/// (at-most-once, ordered per sender–receiver pair); Watch, Unwatch and NotifyTerminated travel as
/// remoting system messages. Two refs to the same path are equal, as in Akka.Remote.
/// </summary>
public sealed class RemoteActorRef : IInternalActorRef, IEquatable<RemoteActorRef>
{
    private readonly Remoting _remoting;

    internal RemoteActorRef(Remoting remoting, ActorPath path)
    {
        _remoting = remoting;
        Path = path;
        RemoteAddress = new RemoteAddress(path.Address.Host!, path.Address.Port!.Value);
    }

    public ActorPath Path { get; }

    /// <summary>The transport address of the node the actor lives on.</summary>
    public RemoteAddress RemoteAddress { get; }

    public ActorSystem System => _remoting.System;

    public void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        _remoting.Send(this, message, sender);
    }

    public void Watch(IActorRef watcher) => _remoting.WatchRemote(this, watcher);

    public void Unwatch(IActorRef watcher) => _remoting.UnwatchRemote(this, watcher);

    /// <summary>This ref is a remote watcher of a local actor that has stopped: tell its node.</summary>
    public void NotifyTerminated(Terminated terminated) => _remoting.SendDeathWatchNotification(this, terminated);

    public bool Equals(RemoteActorRef? other) => other is not null && Path.Equals(other.Path);

    public override bool Equals(object? obj) => obj is RemoteActorRef other && Equals(other);

    public override int GetHashCode() => Path.GetHashCode();

    public override string ToString() => $"[remote {Path}]";
}

/// <summary>
/// A local path with no live actor behind it (Akka's EmptyLocalActorRef): messages go to dead
/// letters, and watching it yields Terminated with existence unconfirmed.
/// </summary>
internal sealed class EmptyLocalActorRef(ActorSystem system, ActorPath path) : IInternalActorRef
{
    public ActorPath Path { get; } = path;

    public ActorSystem System { get; } = system;

    public void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        System.DeadLetters.Tell(new DeadLetter(message, sender ?? System.DeadLetters, this), null);
    }

    public void Watch(IActorRef watcher)
    {
        var terminated = new Terminated(this, ExistenceConfirmed: false);
        if (watcher is IInternalActorRef internalWatcher)
        {
            internalWatcher.NotifyTerminated(terminated);
        }
        else
        {
            watcher.Tell(terminated, null);
        }
    }

    public void Unwatch(IActorRef watcher)
    {
    }

    public void NotifyTerminated(Terminated terminated)
    {
    }

    public override bool Equals(object? obj) => obj is EmptyLocalActorRef other && Path.Equals(other.Path);

    public override int GetHashCode() => Path.GetHashCode();

    public override string ToString() => $"[empty {Path}]";
}
