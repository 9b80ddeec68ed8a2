namespace ActorChain.Actors;

/// <summary>Marks messages the runtime handles itself before the actor's Receive.</summary>
internal interface IAutoReceivedMessage;

/// <summary>Stops the actor once the messages enqueued before it have been processed.</summary>
public sealed class PoisonPill : IAutoReceivedMessage
{
    public static readonly PoisonPill Instance = new();

    private PoisonPill()
    {
    }

    public override string ToString() => "PoisonPill";
}

/// <summary>Delivered to a watcher when a watched actor has stopped.</summary>
/// <param name="ActorRef">The actor that stopped.</param>
/// <param name="ExistenceConfirmed">False when the actor was never known to exist (e.g. Nobody).</param>
/// <param name="AddressTerminated">True when remoting declares the actor dead because its node is gone.</param>
public sealed record Terminated(IActorRef ActorRef, bool ExistenceConfirmed = true, bool AddressTerminated = false);

/// <summary>A death-watch Terminated queued behind the user messages; delivered only if still watched then.</summary>
internal sealed record QueuedTerminated(Terminated Terminated) : IAutoReceivedMessage;

/// <summary>Sent to an actor that set a receive timeout and received nothing for that long.</summary>
public sealed class ReceiveTimeout
{
    public static readonly ReceiveTimeout Instance = new();

    private ReceiveTimeout()
    {
    }

    public override string ToString() => "ReceiveTimeout";
}

public static class Status
{
    public sealed record Success(object? Status);

    /// <summary>A reply that faults the asker's task with <see cref="Cause"/>.</summary>
    public sealed record Failure(Exception Cause, object? State = null);
}

/// <summary>Published on the event stream for every message that reached no actor.</summary>
public sealed record DeadLetter(object Message, IActorRef Sender, IActorRef Recipient);

/// <summary>Published on the event stream for every message an actor did not handle.</summary>
public sealed record UnhandledMessage(object Message, IActorRef Sender, IActorRef Recipient);

/// <summary>A message and who sent it, as it sits in a mailbox or stash.</summary>
public readonly record struct Envelope(object Message, IActorRef? Sender);
