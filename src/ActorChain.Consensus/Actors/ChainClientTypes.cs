using ActorChain.Chain;
using ActorChain.Chain.Ledger;

namespace ActorChain.Consensus.Actors;

/// <summary>Where a submitted entry landed: the first block that holds its id, and what applying it did.</summary>
public sealed record CommitResult(string EntryId, long Height, Hash256 BlockHash, EntryStatus Status, string? Reason);

/// <summary>The local node's decided head (its journal may be a batch behind).</summary>
public readonly record struct ChainHead(long Height, Hash256 Hash);

/// <summary>The node did not take the entry: nothing was stored; <see cref="Reason"/> says whether a retry can help.</summary>
public sealed class SubmissionRejectedException : Exception
{
    public SubmissionRejectedException(string entryId, MempoolAdmission reason, string message)
        : base(message)
    {
        EntryId = entryId;
        Reason = reason;
    }

    public string EntryId { get; }

    /// <summary><see cref="MempoolAdmission.Full"/>: retry later (HTTP 503); <see cref="MempoolAdmission.TooLarge"/>: never fits (HTTP 413).</summary>
    public MempoolAdmission Reason { get; }

    public bool IsMempoolFull => Reason == MempoolAdmission.Full;
}

/// <summary>The chain actor stopped (its store failed, or the node is shutting down): the call's outcome is unknown.</summary>
public sealed class ChainUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
