namespace ActorChain.Persistence;

/// <summary>
/// Ledger snapshots as opaque bytes keyed by height. A save is atomic: readers see the whole
/// snapshot or none, and two saves of one height leave exactly one of them. The local
/// <see cref="FileSnapshotStore"/> is the default; an Azure backend implements the same contract.
/// </summary>
public interface ISnapshotStore
{
    Task SaveAsync(long height, ReadOnlyMemory<byte> snapshot, CancellationToken cancellationToken = default);

    /// <summary>The heights with a saved snapshot, ascending.</summary>
    Task<IReadOnlyList<long>> ListHeightsAsync(CancellationToken cancellationToken = default);

    /// <summary>The snapshot's bytes as saved (damage is for the caller to detect); null when there is none.</summary>
    Task<byte[]?> ReadAsync(long height, CancellationToken cancellationToken = default);

    Task DeleteAsync(long height, CancellationToken cancellationToken = default);
}
