using System.Diagnostics;
using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorChain.Persistence;

public sealed record NodeStoreOptions
{
    public BlockJournalOptions Journal { get; init; } = new();

    public SnapshotOptions Snapshots { get; init; } = new();

    /// <summary>Blocks read from the journal per batch while replaying.</summary>
    public int ReplayBatchBlocks { get; init; } = 256;
}

/// <summary>What a node starts from: the ledger at the journal's head and any corruption the journal found.</summary>
/// <param name="Ledger">The state after applying every served block.</param>
/// <param name="SnapshotHeight">The snapshot the replay started from; -1 when it replayed from block 0.</param>
/// <param name="ReplayedBlocks">Journal blocks applied on top of the snapshot.</param>
/// <param name="Corruption">The journal's first bad block: the node re-fetches from there and repairs with TruncateAfter + Append.</param>
public sealed record NodeRecovery(LedgerState Ledger, long SnapshotHeight, long ReplayedBlocks, JournalCorruption? Corruption)
{
    public long Height => Ledger.Height;

    public Hash256 HeadHash => Ledger.HeadHash;
}

/// <summary>
/// The local persistence of one node under its data directory: <c>journal/</c> (the block journal),
/// <c>snapshots/</c> (ledger snapshots) and <c>acceptor/acceptor.log</c>. Opening recovers the ledger:
/// the newest intact snapshot whose head is on the journal's chain, plus the journal blocks after it.
/// </summary>
public sealed class NodeStore : IAsyncDisposable
{
    private NodeStore(IBlockStore blocks, SnapshotStore snapshots, AcceptorLog acceptor, NodeRecovery recovery)
    {
        Blocks = blocks;
        Snapshots = snapshots;
        Acceptor = acceptor;
        Recovery = recovery;
    }

    public IBlockStore Blocks { get; }

    public SnapshotStore Snapshots { get; }

    public AcceptorLog Acceptor { get; }

    public NodeRecovery Recovery { get; }

    public static async Task<NodeStore> OpenAsync(
        string dataDirectory, NodeStoreOptions? options = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        options ??= new NodeStoreOptions();
        loggerFactory ??= NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger<NodeStore>();
        var journal = await BlockJournal.OpenAsync(
            Path.Combine(dataDirectory, "journal"), options.Journal, loggerFactory.CreateLogger<BlockJournal>(), cancellationToken).ConfigureAwait(false);
        AcceptorLog? acceptor = null;
        try
        {
            var files = new FileSnapshotStore(Path.Combine(dataDirectory, "snapshots"));
            files.DeleteStaleTempFiles();
            var snapshots = new SnapshotStore(files, options.Snapshots, loggerFactory.CreateLogger<SnapshotStore>());
            acceptor = await AcceptorLog.OpenAsync(
                Path.Combine(dataDirectory, "acceptor", "acceptor.log"), loggerFactory.CreateLogger<AcceptorLog>(), cancellationToken).ConfigureAwait(false);
            var recovery = await RecoverAsync(journal, snapshots, logger, options.ReplayBatchBlocks, cancellationToken).ConfigureAwait(false);
            return new NodeStore(journal, snapshots, acceptor, recovery);
        }
        catch
        {
            if (acceptor is not null)
            {
                await acceptor.DisposeAsync().ConfigureAwait(false);
            }

            await journal.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Rebuilds the ledger at <paramref name="blocks"/>' head from the newest usable snapshot plus the
    /// blocks after it. A snapshot above the head, or whose head hash is not the store's block at its
    /// height (a snapshot of another fork), is skipped with a log line.
    /// </summary>
    public static async Task<NodeRecovery> RecoverAsync(
        IBlockStore blocks, SnapshotStore snapshots, ILogger? logger = null, int replayBatchBlocks = 256, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentOutOfRangeException.ThrowIfLessThan(replayBatchBlocks, 1);
        logger ??= NullLogger.Instance;
        var stopwatch = Stopwatch.StartNew();
        var head = blocks.Height;
        var snapshot = await LoadUsableSnapshotAsync(blocks, snapshots, head, logger, cancellationToken).ConfigureAwait(false);
        var ledger = snapshot?.Ledger ?? new LedgerState();
        var from = ledger.Height + 1;
        while (from <= head)
        {
            var batch = await blocks.ReadRangeAsync(from, (int)Math.Min(replayBatchBlocks, head - from + 1), cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var block in batch)
            {
                ledger.Apply(block);
            }

            from += batch.Count;
        }

        if (ledger.Height != head || ledger.HeadHash != blocks.HeadHash)
        {
            throw new InvalidDataException(
                $"Replay ended at block {ledger.Height} ({ledger.HeadHash}) but the block store's head is {head} ({blocks.HeadHash}).");
        }

        var snapshotHeight = snapshot?.Height ?? -1;
        PersistenceLog.Recovered(logger, ledger.Height, ledger.HeadHash.ToString(), snapshotHeight, head - snapshotHeight, stopwatch.ElapsedMilliseconds);
        return new NodeRecovery(ledger, snapshotHeight, head - snapshotHeight, blocks.Corruption);
    }

    public async ValueTask DisposeAsync()
    {
        await Acceptor.DisposeAsync().ConfigureAwait(false);
        await Blocks.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<LoadedSnapshot?> LoadUsableSnapshotAsync(
        IBlockStore blocks, SnapshotStore snapshots, long head, ILogger logger, CancellationToken cancellationToken)
    {
        var maxHeight = head;
        while (maxHeight >= 0)
        {
            var snapshot = await snapshots.LoadLatestAsync(maxHeight, cancellationToken).ConfigureAwait(false);
            if (snapshot is null)
            {
                return null;
            }

            var block = await blocks.ReadAsync(snapshot.Height, cancellationToken).ConfigureAwait(false);
            if (block is not null && block.Hash == snapshot.HeadHash)
            {
                return snapshot;
            }

            PersistenceLog.SnapshotDamaged(
                logger, snapshot.Height, $"its head {snapshot.HeadHash} is not the journal's block {snapshot.Height} ({block?.Hash})");
            maxHeight = snapshot.Height - 1;
        }

        return null;
    }
}
