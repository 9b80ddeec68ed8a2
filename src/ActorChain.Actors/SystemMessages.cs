namespace ActorChain.Actors;

/// <summary>Runtime messages; they go through a separate queue that is drained before every user message.</summary>
internal abstract record SystemMessage;

internal sealed record CreateActor : SystemMessage
{
    public static readonly CreateActor Instance = new();
}

internal sealed record TerminateActor : SystemMessage
{
    public static readonly TerminateActor Instance = new();
}

internal sealed record WatchActor(IActorRef Watcher) : SystemMessage;

internal sealed record UnwatchActor(IActorRef Watcher) : SystemMessage;

internal sealed record DeathWatchNotification(Terminated Terminated) : SystemMessage;

internal sealed record ChildFailed(LocalActorRef Child, Exception Cause) : SystemMessage;

internal sealed record ChildTerminated(LocalActorRef Child) : SystemMessage;

internal sealed record ResumeActor : SystemMessage
{
    public static readonly ResumeActor Instance = new();
}

internal sealed record RecreateActor(Exception Cause) : SystemMessage;

internal sealed record RunContinuation(SynchronizationContext Context, SendOrPostCallback Callback, object? State, int Generation) : SystemMessage;

internal sealed record AsyncHandlerCompleted(Task Task, int Generation) : SystemMessage;

internal sealed record ReceiveTimeoutTick(int Generation) : IAutoReceivedMessage;
