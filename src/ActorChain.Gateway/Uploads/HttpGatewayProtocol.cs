using ActorChain.Chain;
using ActorChain.Consensus.Actors;
using ActorChain.Persistence;

namespace ActorChain.Gateway.Uploads;

/// <summary>Messages to <see cref="HttpGatewayActor"/>; replies go through the carried completion sources.</summary>
internal static class HttpGatewayProtocol
{
    /// <summary>An upload starts streaming: until it reports its hash, no orphaned blob is removed (it may be about to reuse one).</summary>
    public sealed record Begin
    {
        public static readonly Begin Instance = new();
    }

    /// <summary>The upload ended without a commit; <paramref name="File"/> is what it stored, if it got that far.</summary>
    public sealed record Abandon(StoredFile? File);

    /// <summary>The upload's bytes are stored: commit its file.add unless that content is already a file. The sender then owes a <see cref="Release"/>.</summary>
    public sealed record Commit(StoredFile File, Entry Entry, TaskCompletionSource<UploadOutcome> Reply);

    /// <summary>The request that sent <see cref="Commit"/> is done with the blob.</summary>
    public sealed record Release(Hash256 Sha256);

    /// <summary>A file.delete committed: the blob goes once nothing uses it.</summary>
    public sealed record FileDeleted(Hash256 Sha256);

    internal sealed record CommitDone(Commit Request, UploadOutcome Outcome);

    internal sealed record Collect
    {
        public static readonly Collect Instance = new();
    }
}

internal enum UploadStatus
{
    /// <summary>This upload's file.add committed.</summary>
    Created,

    /// <summary>The content already was a file (or another upload of it committed first): nothing new was committed.</summary>
    Existing,

    /// <summary>The ledger or the mempool refused the entry; <see cref="UploadOutcome.Detail"/> says why.</summary>
    Rejected,

    /// <summary>The node cannot take the entry now (mempool full); nothing was committed.</summary>
    Busy,

    /// <summary>Not seen committed in time, or the chain stopped: it may still commit.</summary>
    Uncertain,
}

internal sealed record UploadOutcome(UploadStatus Status, CommitResult? Commit = null, string? Detail = null);
