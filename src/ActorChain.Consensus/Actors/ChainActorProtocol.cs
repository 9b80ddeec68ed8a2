using ActorChain.Chain;
using ActorChain.Consensus.Node;

namespace ActorChain.Consensus.Actors;

/// <summary>Local messages to the chain actor (replies go through the carried completion sources, not Sender).</summary>
internal static class ChainActorProtocol
{
    public sealed record Submit(Entry Entry, TaskCompletionSource<CommitResult> Reply);

    /// <summary>Runs on the actor's thread, so the query sees the chain and ledger between two changes.</summary>
    public sealed record Query(Func<DecidedChain, object?> Run, TaskCompletionSource<object?> Reply);

    /// <summary>Completes with the read index once the local durable head has reached it.</summary>
    public sealed record ReadIndex(TaskCompletionSource<long> Reply);

    public sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    /// <summary>Node id → "host:port": adds or moves those peers (membership learned by the node).</summary>
    public sealed record SetPeerAddresses(IReadOnlyDictionary<string, string> Addresses);

    public sealed record Wake
    {
        public static readonly Wake Instance = new();
    }

    /// <summary>The batch's acceptor records are durable (its blocks may not be yet).</summary>
    public sealed record RecordsDurable(FlushBatch Batch);

    /// <summary>The batch's whole write is done (or failed).</summary>
    public sealed record Flushed(FlushBatch Batch, Exception? Error);

    /// <summary>Effects written with one group commit; answered once their records are durable, sent once all is.</summary>
    public sealed class FlushBatch(ConsensusEffect[] effects)
    {
        public ConsensusEffect[] Effects { get; } = effects;

        public bool RecordsDurable { get; set; }
    }
}
