using ActorChain.Chain;

namespace ActorChain.Persistence.Actors;

/// <summary>The messages of <see cref="JournalActor"/> (Akka.Persistence's journal protocol, for decided blocks); every request is answered to its sender.</summary>
public static class JournalProtocol
{
    /// <summary>Appends consecutive blocks after the journal's head; answered once they are durable, or not.</summary>
    public sealed record Persist(IReadOnlyList<Block> Blocks);

    public sealed record PersistSucceeded(long FromHeight, long ToHeight, Hash256 HeadHash);

    /// <summary>Nothing of the <see cref="Persist"/> was appended (the journal appends all or nothing).</summary>
    public sealed record PersistFailed(long FromHeight, long ToHeight, Exception Cause);

    /// <summary>Up to <see cref="Count"/> blocks from <see cref="FromHeight"/>, fewer where the head comes first.</summary>
    public sealed record ReadBlocks(long FromHeight, int Count);

    public sealed record BlocksRead(long FromHeight, IReadOnlyList<Block> Blocks);

    public sealed record ReadFailed(long FromHeight, Exception Cause);

    /// <summary>Drops every block above <see cref="Height"/> (-1: all) and clears the journal's corruption: the repair step before re-fetched blocks are persisted.</summary>
    public sealed record TruncateAfter(long Height);

    public sealed record Truncated(long Height);

    public sealed record TruncateFailed(long Height, Exception Cause);
}
