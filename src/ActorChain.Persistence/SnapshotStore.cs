using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorChain.Persistence;

public sealed record SnapshotOptions
{
    /// <summary>Blocks between snapshots: <see cref="SnapshotStore.IsDue"/> says yes at every multiple of it.</summary>
    public long Interval { get; init; } = 1000;

    /// <summary>Snapshots kept; older ones are deleted after each save.</summary>
    public int Keep { get; init; } = 3;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Interval, 1, nameof(Interval));
        ArgumentOutOfRangeException.ThrowIfLessThan(Keep, 1, nameof(Keep));
    }
}

/// <summary>A ledger snapshot that decoded and passed its checksum.</summary>
public sealed record LoadedSnapshot(long Height, Hash256 HeadHash, LedgerState Ledger);

/// <summary>
/// Saves and loads <see cref="LedgerSnapshot"/>s over any <see cref="ISnapshotStore"/>: keeps the last
/// <see cref="SnapshotOptions.Keep"/>, and loads the newest one that is intact, falling back to older
/// ones (with a log line) when the newest is damaged.
/// </summary>
public sealed class SnapshotStore(ISnapshotStore store, SnapshotOptions? options = null, ILogger? logger = null)
{
    private readonly ISnapshotStore _store = store ?? throw new ArgumentNullException(nameof(store));
    private readonly SnapshotOptions _options = Validated(options ?? new SnapshotOptions());
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public ISnapshotStore Store => _store;

    public SnapshotOptions Options => _options;

    /// <summary>Whether a ledger that just applied block <paramref name="height"/> should be snapshotted.</summary>
    public bool IsDue(long height) => height > 0 && height % _options.Interval == 0;

    /// <summary>Encodes and saves the ledger at its height, then deletes all but the newest <see cref="SnapshotOptions.Keep"/>.</summary>
    public Task SaveAsync(LedgerState ledger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        return SaveAsync(ledger.Height, LedgerSnapshot.Encode(ledger), cancellationToken);
    }

    /// <summary>Saves a snapshot encoded with <see cref="LedgerSnapshot.Encode"/> at its height, then deletes all but the newest <see cref="SnapshotOptions.Keep"/>.</summary>
    /// <exception cref="ArgumentException">The bytes are not a snapshot of the ledger at <paramref name="height"/>.</exception>
    public async Task SaveAsync(long height, ReadOnlyMemory<byte> encoded, CancellationToken cancellationToken = default)
    {
        long encodedHeight;
        try
        {
            LedgerSnapshot.ReadHeader(encoded.Span, out encodedHeight, out _);
        }
        catch (ChainFormatException e)
        {
            throw new ArgumentException($"Not a ledger snapshot: {e.Message}", nameof(encoded), e);
        }

        if (encodedHeight != height)
        {
            throw new ArgumentException($"The snapshot holds the ledger at height {encodedHeight}, not {height}.", nameof(encoded));
        }

        await _store.SaveAsync(height, encoded, cancellationToken).ConfigureAwait(false);
        PersistenceLog.SnapshotSaved(_logger, height, encoded.Length);
        var heights = await _store.ListHeightsAsync(cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < heights.Count - _options.Keep; i++)
        {
            await _store.DeleteAsync(heights[i], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The newest intact snapshot at or below <paramref name="maxHeight"/>; null when there is none.</summary>
    public async Task<LoadedSnapshot?> LoadLatestAsync(long maxHeight = long.MaxValue, CancellationToken cancellationToken = default)
    {
        var heights = await _store.ListHeightsAsync(cancellationToken).ConfigureAwait(false);
        for (var i = heights.Count - 1; i >= 0; i--)
        {
            var height = heights[i];
            if (height > maxHeight)
            {
                continue;
            }

            var bytes = await _store.ReadAsync(height, cancellationToken).ConfigureAwait(false);
            if (bytes is null)
            {
                continue;
            }

            long ledgerHeight;
            try
            {
                LedgerSnapshot.ReadHeader(bytes, out ledgerHeight, out _);
            }
            catch (ChainFormatException e)
            {
                PersistenceLog.SnapshotDamaged(_logger, height, e.Message);
                continue;
            }

            if (ledgerHeight != height)
            {
                PersistenceLog.SnapshotDamaged(_logger, height, $"it holds the ledger at height {ledgerHeight}");
                continue;
            }

            if (!LedgerSnapshot.TryDecode(bytes, out var ledger, out var error))
            {
                PersistenceLog.SnapshotDamaged(_logger, height, error!);
                continue;
            }

            PersistenceLog.SnapshotLoaded(_logger, height);
            return new LoadedSnapshot(height, ledger!.HeadHash, ledger);
        }

        return null;
    }

    private static SnapshotOptions Validated(SnapshotOptions options)
    {
        options.Validate();
        return options;
    }
}
