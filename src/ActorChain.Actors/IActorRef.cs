namespace ActorChain.Actors;

/// <summary>
/// A handle to an actor, local or remote. Local refs compare by identity (one per incarnation);
/// a remote implementation is expected to compare by <see cref="Path"/>.
/// </summary>
public interface IActorRef
{
    ActorPath Path { get; }

    /// <summary>
    /// Enqueues <paramref name="message"/> without waiting. <paramref name="sender"/> is what the
    /// receiver sees as <c>Sender</c>; null means no sender (replies go to dead letters).
    /// </summary>
    void Tell(object message, IActorRef? sender);
}

/// <summary>
/// A ref that belongs to an <see cref="ActorSystem"/> and takes part in death watch. The local
/// ref implements it; remoting implements it for remote refs (forwarding Watch, Unwatch and
/// NotifyTerminated over the wire, and calling NotifyTerminated on local watchers when a remote
/// actor or its whole node is gone).
/// </summary>
public interface IInternalActorRef : IActorRef
{
    ActorSystem System { get; }

    /// <summary>Tell <paramref name="watcher"/> a <see cref="Terminated"/> when this actor stops (at once if it already has).</summary>
    void Watch(IActorRef watcher);

    void Unwatch(IActorRef watcher);

    /// <summary>
    /// Death-watch notification for this ref as watcher: <paramref name="terminated"/>.ActorRef has stopped.
    /// The actor receives the <see cref="Terminated"/> only if it still watches that ref.
    /// </summary>
    void NotifyTerminated(Terminated terminated);
}

public static class ActorRefs
{
    /// <summary>Use as sender when there is none; the receiver's <c>Sender</c> is then the system's dead letters.</summary>
    public static readonly IActorRef? NoSender;

    /// <summary>A ref that points nowhere: messages to it are dropped silently.</summary>
    public static readonly IActorRef Nobody = new NobodyRef();

    private sealed class NobodyRef : IActorRef
    {
        public ActorPath Path { get; } = ActorPath.RootOf(new Address("all-systems")) / "Nobody";

        public void Tell(object message, IActorRef? sender)
        {
        }

        public override string ToString() => "Nobody";
    }
}

public static class ActorRefExtensions
{
    /// <summary>
    /// Tells <paramref name="message"/> with the current actor as sender when called from inside an
    /// actor (Akka.NET's implicit sender), else with no sender.
    /// </summary>
    public static void Tell(this IActorRef receiver, object message) =>
        receiver.Tell(message, ActorCell.Current?.SelfRef);

    /// <summary>Tells <paramref name="message"/> keeping the sender of the message being processed.</summary>
    public static void Forward(this IActorRef receiver, object message)
    {
        var cell = ActorCell.Current ?? throw new InvalidOperationException("Forward can only be called from inside an actor.");
        receiver.Tell(message, cell.CurrentSenderOrNull);
    }
}
