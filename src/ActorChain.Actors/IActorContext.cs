using Microsoft.Extensions.Logging;

namespace ActorChain.Actors;

/// <summary>Returns true when the message was handled.</summary>
public delegate bool Receive(object message);

/// <summary>What an actor sees of itself and the runtime. Only valid on the actor's own turn.</summary>
public interface IActorContext
{
    IActorRef Self { get; }

    /// <summary>Sender of the message being processed; the system's dead letters when there is none.</summary>
    IActorRef Sender { get; }

    IActorRef Parent { get; }

    IEnumerable<IActorRef> Children { get; }

    ActorSystem System { get; }

    Props Props { get; }

    /// <summary>Logger named after the actor's type.</summary>
    ILogger Log { get; }

    /// <summary>Creates a child. A null name gets a generated one ("$1", …); a taken name throws <see cref="InvalidActorNameException"/>.</summary>
    IActorRef ActorOf(Props props, string? name = null);

    /// <summary>The child with that name, or <see cref="ActorRefs.Nobody"/>.</summary>
    IActorRef Child(string name);

    /// <summary>Stops a child or Self asynchronously: the actor finishes its current message, stops its children, then runs PostStop.</summary>
    void Stop(IActorRef actor);

    /// <summary>Deliver <see cref="Terminated"/> when <paramref name="subject"/> stops (at once if it already has).</summary>
    IActorRef Watch(IActorRef subject);

    /// <summary>No <see cref="Terminated"/> for <paramref name="subject"/> reaches the actor after this, even one already queued.</summary>
    IActorRef Unwatch(IActorRef subject);

    /// <summary>Replaces the current behavior.</summary>
    void Become(Receive receive);

    /// <summary>Pushes a behavior; <see cref="UnbecomeStacked"/> returns to the one below.</summary>
    void BecomeStacked(Receive receive);

    void UnbecomeStacked();

    /// <summary>
    /// After <paramref name="timeout"/> without any message, the actor is sent <see cref="ReceiveTimeout"/>
    /// (again after each further idle period). Null switches it off.
    /// </summary>
    void SetReceiveTimeout(TimeSpan? timeout);

    TimeSpan? ReceiveTimeout { get; }
}
