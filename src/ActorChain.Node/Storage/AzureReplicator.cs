using System.Threading.Channels;
using ActorChain.Chain.Ledger;
using ActorChain.Persistence;
using ActorChain.Persistence.Azure;

namespace ActorChain.Node.Storage;

/// <summary>
/// Copies a node's decided blocks to Azure after each decided batch: the block archive on Blob, the Table
/// mirror when <c>table-journal</c> is on, and a ledger snapshot every <c>snapshot-interval</c> blocks (only
/// once the archive holds every block up to it, so a bootstrapping node finds both). It reads the blocks
/// back from the local journal, which stays the source of truth: an outage only makes the copies lag, and
/// they catch up from where Azure stopped. Failures are retried with a growing back-off and reported to
/// <see cref="StorageHealth"/>; while idle it checks that the storage still answers.
/// </summary>
internal sealed class AzureReplicator : IAsyncDisposable
{
    private const int CopyBatchBlocks = 256;
    private const int KeepSnapshots = 3;
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly string _nodeId;
    private readonly string _clusterId;
    private readonly AzureStorage _storage;
    private readonly IBlockStore _local;
    private readonly Func<CancellationToken, Task<byte[]>> _snapshotLedger;
    private readonly ILogger _log;
    private readonly ILoggerFactory _loggerFactory;
    private readonly AzureBlockArchive _archive;
    private readonly AzureSnapshotStore _snapshots;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeSpan _probeInterval;
    private Task _loop = Task.CompletedTask;
    private AzureTableBlockStore? _table;
    private bool _initialized;
    private long _archivedThrough = -1;
    private long _snapshotHeight = -1;

    public AzureReplicator(
        string nodeId, string clusterId, AzureStorage storage, IBlockStore local, Func<CancellationToken, Task<byte[]>> snapshotLedger, StorageHealth health, ILoggerFactory loggerFactory)
    {
        _nodeId = nodeId;
        _clusterId = clusterId;
        _storage = storage;
        _local = local;
        _snapshotLedger = snapshotLedger;
        Health = health;
        _loggerFactory = loggerFactory;
        _log = loggerFactory.CreateLogger<AzureReplicator>();
        _archive = new AzureBlockArchive(storage, nodeId, loggerFactory.CreateLogger<AzureBlockArchive>());
        _snapshots = new AzureSnapshotStore(storage, nodeId);

        // Idle probes are what notice an outage while nothing is decided; a few per grace period is enough.
        var probe = storage.Options.OutageGrace / 4;
        _probeInterval = probe < TimeSpan.FromMilliseconds(250) ? TimeSpan.FromMilliseconds(250) : probe > TimeSpan.FromSeconds(5) ? TimeSpan.FromSeconds(5) : probe;
    }

    public StorageHealth Health { get; }

    /// <summary>The highest block archived to Blob storage so far; -1 before the first.</summary>
    public long ArchivedThrough => Interlocked.Read(ref _archivedThrough);

    /// <summary>The height of the newest ledger snapshot in Blob storage; -1 before the first.</summary>
    public long SnapshotHeight => Interlocked.Read(ref _snapshotHeight);

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>A batch became durable locally; called on the chain actor's thread, so it only signals.</summary>
    public void Notify() => _wake.Writer.TryWrite(true);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _loop;
        }
        catch (Exception) when (_stopping.IsCancellationRequested)
        {
            // A request cut short by the stop may surface as the SDK's own exception rather than a cancellation.
        }

        if (_table is not null)
        {
            await _table.DisposeAsync();
        }

        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        var token = _stopping.Token;
        var backoff = _storage.Options.RetryBackoff > TimeSpan.Zero ? _storage.Options.RetryBackoff : TimeSpan.FromMilliseconds(100);
        while (!token.IsCancellationRequested)
        {
            try
            {
                var what = await ReplicateOnceAsync(token);
                if (Health.ReportSuccess(what) is { } outage)
                {
                    StorageLog.AzureRecovered(_log, _nodeId, outage);
                }

                backoff = _storage.Options.RetryBackoff > TimeSpan.Zero ? _storage.Options.RetryBackoff : TimeSpan.FromMilliseconds(100);
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(token);
                idle.CancelAfter(_probeInterval);
                try
                {
                    await _wake.Reader.ReadAsync(idle.Token);
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                }
            }
            catch (Exception e) when (!token.IsCancellationRequested)
            {
                var reason = Describe(e);
                Health.ReportFailure(reason);
                StorageLog.AzureFailed(_log, _nodeId, reason, backoff);
                await Task.Delay(backoff, token);
                backoff = backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;
            }
        }
    }

    /// <summary>One round: copy what the local journal has that Azure lacks, snapshot when due, or check that Azure answers.</summary>
    private async Task<string> ReplicateOnceAsync(CancellationToken token)
    {
        if (!_initialized)
        {
            await InitializeAsync(token);
        }

        var head = _local.Height;
        var copied = await CopyBlocksAsync(head, token);
        if (head - SnapshotHeight >= _storage.Options.SnapshotInterval)
        {
            var bytes = await _snapshotLedger(token);
            LedgerSnapshot.ReadHeader(bytes, out var height, out _);

            // A snapshot is only useful to a new node once the archive holds every block up to it; the
            // ledger may be ahead of the durable journal by a batch, in which case the next round takes it.
            await CopyBlocksAsync(height, token);
            if (ArchivedThrough >= height)
            {
                await _snapshots.SaveAsync(height, bytes, token);
                await DeleteOldSnapshotsAsync(token);
                Interlocked.Exchange(ref _snapshotHeight, height);
                StorageLog.AzureSnapshotUploaded(_log, _nodeId, height, bytes.Length);
                return $"ledger snapshot {height} uploaded";
            }
        }

        if (copied)
        {
            return $"blocks up to {ArchivedThrough} copied";
        }

        var health = await _storage.CheckHealthAsync(token);
        return health.IsHealthy ? health.Description : throw new StorageUnavailableException(health.Description);
    }

    private async Task InitializeAsync(CancellationToken token)
    {
        await _storage.EnsureCreatedAsync(token);
        var segments = await _archive.ListAsync(token);
        Interlocked.Exchange(ref _archivedThrough, segments.Count == 0 ? -1 : segments.Max(s => s.LastHeight));
        var heights = await _snapshots.ListHeightsAsync(token);
        Interlocked.Exchange(ref _snapshotHeight, heights.Count == 0 ? -1 : heights[^1]);
        if (_storage.Options.TableJournal && _table is null)
        {
            _table = await AzureTableBlockStore.OpenAsync(_storage, _nodeId, _clusterId, _loggerFactory.CreateLogger<AzureTableBlockStore>(), token);
            if (_table.Corruption is not null)
            {
                // The table is a copy: a damaged tail is rewritten from the local journal.
                await _table.TruncateAfterAsync(_table.Height, token);
            }
        }

        _initialized = true;
    }

    /// <summary>Copies the local blocks up to <paramref name="target"/> that the archive (and the table) lack; true when it copied any.</summary>
    private async Task<bool> CopyBlocksAsync(long target, CancellationToken token)
    {
        var copied = false;
        while (ArchivedThrough < target)
        {
            var from = ArchivedThrough + 1;
            var blocks = await _local.ReadRangeAsync(from, (int)Math.Min(CopyBatchBlocks, target - from + 1), token);
            if (blocks.Count == 0)
            {
                break;
            }

            await _archive.ArchiveAsync(blocks, token);
            Interlocked.Exchange(ref _archivedThrough, blocks[^1].Height);
            StorageLog.AzureBlocksCopied(_log, _nodeId, from, blocks[^1].Height, "archive");
            copied = true;
        }

        while (_table is not null && _table.Height < Math.Min(target, _local.Height))
        {
            var from = _table.Height + 1;
            var blocks = await _local.ReadRangeAsync(from, (int)Math.Min(CopyBatchBlocks, target - from + 1), token);
            if (blocks.Count == 0)
            {
                break;
            }

            await _table.AppendAsync(blocks, token);
            StorageLog.AzureBlocksCopied(_log, _nodeId, from, blocks[^1].Height, "table journal");
            copied = true;
        }

        return copied;
    }

    private async Task DeleteOldSnapshotsAsync(CancellationToken token)
    {
        var heights = await _snapshots.ListHeightsAsync(token);
        for (var i = 0; i < heights.Count - KeepSnapshots; i++)
        {
            await _snapshots.DeleteAsync(heights[i], token);
        }
    }

    private static string Describe(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner == e ? $"{e.GetType().Name}: {e.Message}" : $"{e.GetType().Name}: {e.Message} ({inner.GetType().Name}: {inner.Message})";
    }

    private sealed class StorageUnavailableException(string message) : Exception(message);
}
