namespace ActorChain.Persistence.Actors;

/// <summary>The messages of <see cref="SnapshotActor"/> (Akka.Persistence's snapshot protocol, for ledger snapshots).</summary>
public static class SnapshotProtocol
{
    /// <summary>
    /// Saves an encoded ledger snapshot (<see cref="Chain.Ledger.LedgerSnapshot.Encode"/>): the sender encodes it, so
    /// a ledger the sender keeps changing is never read from another thread.
    /// </summary>
    public sealed record SaveSnapshot(long Height, ReadOnlyMemory<byte> Snapshot)
    {
        public static SaveSnapshot Of(Chain.Ledger.LedgerState ledger) =>
            new(ledger.Height, Chain.Ledger.LedgerSnapshot.Encode(ledger));
    }

    public sealed record SaveSnapshotSucceeded(long Height);

    public sealed record SaveSnapshotFailed(long Height, Exception Cause);

    /// <summary>The newest intact snapshot at or below <see cref="MaxHeight"/>.</summary>
    public sealed record LoadSnapshot(long MaxHeight = long.MaxValue);

    /// <summary>The answer to <see cref="LoadSnapshot"/>: null <see cref="Snapshot"/> when there is none.</summary>
    public sealed record SnapshotLoaded(LoadedSnapshot? Snapshot);

    public sealed record LoadSnapshotFailed(Exception Cause);
}
