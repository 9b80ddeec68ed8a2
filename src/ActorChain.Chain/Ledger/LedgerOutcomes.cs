namespace ActorChain.Chain.Ledger;

public enum EntryStatus : byte
{
    /// <summary>The entry changed the state.</summary>
    Applied = 1,

    /// <summary>An entry with this id is already in the chain (an earlier block or earlier in this block): skipped.</summary>
    Duplicate = 2,

    /// <summary>The entry breaks a ledger rule; it stays in the chain and every node skips it the same way.</summary>
    Rejected = 3,

    /// <summary>A task.claim for a task an earlier entry already won: recorded, the winner is unchanged.</summary>
    Lost = 4,
}

/// <summary>What applying one entry of a block did. <see cref="Reason"/> is set for Rejected, Duplicate and Lost.</summary>
public readonly record struct EntryOutcome(string EntryId, EntryKind Kind, EntryStatus Status, string? Reason);

/// <summary>Where an entry id first appeared in the chain and what it did there.</summary>
public readonly record struct EntryRecord(long Height, Hash256 BlockHash, EntryStatus Status, string? Reason);

/// <summary>A key's current value and the entry that last wrote it.</summary>
public readonly record struct KvRecord(ReadOnlyMemory<byte> Value, long Height, string EntryId);

/// <summary>One claim of a task; the winning one is the first in chain order.</summary>
public sealed record TaskClaim(string TaskId, string NodeId, long Height, string EntryId);

public sealed class LedgerApplyResult
{
    internal LedgerApplyResult(long height, Hash256 blockHash, EntryOutcome[] outcomes)
    {
        Height = height;
        BlockHash = blockHash;
        Outcomes = outcomes;
        foreach (var outcome in outcomes)
        {
            switch (outcome.Status)
            {
                case EntryStatus.Applied:
                    AppliedCount++;
                    break;
                case EntryStatus.Duplicate:
                    DuplicateCount++;
                    break;
                case EntryStatus.Rejected:
                    RejectedCount++;
                    break;
                default:
                    LostCount++;
                    break;
            }
        }
    }

    public long Height { get; }

    public Hash256 BlockHash { get; }

    /// <summary>One outcome per entry, in block order.</summary>
    public IReadOnlyList<EntryOutcome> Outcomes { get; }

    public int AppliedCount { get; }

    public int DuplicateCount { get; }

    public int RejectedCount { get; }

    public int LostCount { get; }
}
