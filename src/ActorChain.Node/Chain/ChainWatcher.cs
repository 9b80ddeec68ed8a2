using ActorChain.Actors;

namespace ActorChain.Node.Chain;

/// <summary>Death watch of the chain actor for code outside the actor system: runs the callback once it terminates.</summary>
internal sealed class ChainWatcher : ReceiveActor
{
    private readonly IActorRef _chain;

    public ChainWatcher(IActorRef chain, Action onStopped)
    {
        _chain = chain;
        Receive<Terminated>(_ => onStopped());
    }

    protected override void PreStart() => Context.Watch(_chain);
}
