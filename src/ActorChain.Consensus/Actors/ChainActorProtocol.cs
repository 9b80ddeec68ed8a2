using ActorChain.Chain;
using ActorChain.Consensus.Node;

namespace ActorChain.Consensus.Actors;

/// <summary>Local messages to the chain actor (replies go through the carried completion sources, not Sender).</summary>
internal static class ChainActorProtocol
{
    public sealed record Submit(Entry Entry, TaskCompletionSource<CommitResult> Reply);

    /// <summary>Runs on the actor's thread, so the query sees the chain and ledger between two changes.</summary>
    public sealed record Query(Func<DecidedChain, object?> Run, TaskCompletionSource<object?> Reply);

    /// <summary>Completes with the read index once the local decided head has reached it.</summary>
    public sealed record ReadIndex(TaskCompletionSource<long> Reply);

    /// <summary>Hands the submissions received since the last one to the node in one call.</summary>
    public sealed record SubmitBatch
    {
        public static readonly SubmitBatch Instance = new();
    }

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

    /// <summary>Completes with the journal's height once every block decided before it arrived is journaled (the window is skipped).</summary>
    public sealed record FlushJournalRequest(TaskCompletionSource<long> Reply);

    /// <summary>The journal batch window is over: write the blocks that waited for it.</summary>
    public sealed record FlushJournal
    {
        public static readonly FlushJournal Instance = new();
    }

    /// <summary>A write of one lane ended (the error when it failed).</summary>
    public sealed record Written(WriteLane Lane, Exception? Error);

    public enum WriteLane
    {
        Records,
        Blocks,
        Compaction,
    }
}
