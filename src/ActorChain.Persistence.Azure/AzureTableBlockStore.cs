using ActorChain.Chain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.WindowsAzure.Storage;
using Microsoft.WindowsAzure.Storage.Blob;
using Microsoft.WindowsAzure.Storage.Table;

namespace ActorChain.Persistence.Azure;

/// <summary>
/// The block journal of one node in Azure Table storage (layout: <see cref="BlockRows"/>). Rows are
/// inserted, never upserted, so a second writer of a height fails instead of overwriting. A list
/// append goes in entity group transactions of at most <see cref="MaxRowsPerBatch"/> rows (and
/// <see cref="MaxBatchBytes"/> of block bytes), committed in order: each is all or nothing, and a
/// crash between two leaves a prefix of the list, a shorter valid chain, never a gap.
/// <para>
/// Opening reads and verifies every row like the local journal. A torn write in Table is a tail row
/// that is incomplete — fewer bytes than its recorded length, or its large-block blob missing — and is
/// deleted on open. Anything else wrong (a missing height, a row whose bytes fail their SHA-256, a
/// chain rule broken) is reported in <see cref="Corruption"/> and nothing from that height on is served.
/// </para>
/// </summary>
public sealed partial class AzureTableBlockStore : IBlockStore
{
    public const int MaxRowsPerBatch = 100;

    /// <summary>Table's request limit is 4 MiB and binary properties travel as base64 (4/3 larger).</summary>
    public const int MaxBatchBytes = 2 * 1024 * 1024;

    private readonly CloudTable _table;
    private readonly CloudBlobContainer _container;
    private readonly string? _expectedClusterId;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    // Height and hash change together; readers on other threads must never see one without the other.
    private volatile Head _head = Head.Empty;
    private JournalCorruption? _corruption;
    private bool _disposed;

    private AzureTableBlockStore(AzureStorage storage, string nodeId, string? expectedClusterId, ILogger logger)
    {
        _table = storage.Table;
        _container = storage.Container;
        NodeId = nodeId;
        _expectedClusterId = expectedClusterId;
        _logger = logger;
    }

    public string NodeId { get; }

    public long Height => _head.Height;

    public Hash256 HeadHash => _head.Hash;

    public JournalCorruption? Corruption => _corruption;

    /// <summary>
    /// Opens (creating the table and container when missing) and verifies node <paramref name="nodeId"/>'s journal.
    /// When <paramref name="expectedClusterId"/> is set, block 0 must be this cluster's genesis or the journal reports it as corrupt.
    /// </summary>
    public static async Task<AzureTableBlockStore> OpenAsync(
        AzureStorage storage, string nodeId, string? expectedClusterId = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        BlobNames.ValidateNodeId(nodeId);
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var store = new AzureTableBlockStore(storage, nodeId, expectedClusterId, logger ?? NullLogger.Instance);
        await store.RecoverAsync(cancellationToken).ConfigureAwait(false);
        return store;
    }

    public Task AppendAsync(Block block, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(block);
        return AppendAsync([block], cancellationToken);
    }

    public async Task AppendAsync(IReadOnlyList<Block> blocks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (blocks.Count == 0)
        {
            return;
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Refusal(blocks, _head.Height + 1, _head.Hash) is { } refusal)
            {
                throw refusal;
            }

            var batch = new List<(Block Block, DynamicTableEntity Row)>();
            var batchBytes = 0;
            foreach (var block in blocks)
            {
                var encoded = BlockCodec.EncodeBlock(block);
                var row = await BlockRows.CreateAsync(_container, NodeId, block.Height, encoded, cancellationToken).ConfigureAwait(false);
                var inline = BlockRows.InlineBytes(row);
                if (batch.Count == MaxRowsPerBatch || (batch.Count > 0 && batchBytes + inline > MaxBatchBytes))
                {
                    await CommitAsync(batch, cancellationToken).ConfigureAwait(false);
                    batch.Clear();
                    batchBytes = 0;
                }

                batch.Add((block, row));
                batchBytes += inline;
            }

            await CommitAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<byte[]?> ReadEncodedAsync(long height, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (height < 0 || height > Height)
        {
            return null;
        }

        var result = await _table.ExecuteAsync(
            TableOperation.Retrieve<DynamicTableEntity>(NodeId, BlockRows.RowKey(height)), null, null, cancellationToken).ConfigureAwait(false);
        if (result.Result is not DynamicTableEntity row)
        {
            throw new InvalidDataException($"Block {height} of node {NodeId} is missing from table {_table.Name}, though it was verified on open.");
        }

        return await ServeAsync(height, row, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Block?> ReadAsync(long height, CancellationToken cancellationToken = default) =>
        await ReadEncodedAsync(height, cancellationToken).ConfigureAwait(false) is { } bytes ? BlockCodec.DecodeBlock(bytes) : null;

    public async Task<IReadOnlyList<byte[]>> ReadEncodedRangeAsync(long fromHeight, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromHeight);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var last = Math.Min(Height, fromHeight + count - 1);
        var blocks = new List<byte[]>();
        if (last < fromHeight)
        {
            return blocks;
        }

        await foreach (var row in QueryAsync(RangeFilter(fromHeight, last), cancellationToken).ConfigureAwait(false))
        {
            var expected = fromHeight + blocks.Count;
            if (!BlockRows.TryParseRowKey(row.RowKey, out var height) || height != expected)
            {
                throw new InvalidDataException($"Block {expected} of node {NodeId} is missing from table {_table.Name}, though it was verified on open.");
            }

            blocks.Add(await ServeAsync(height, row, cancellationToken).ConfigureAwait(false));
        }

        if (blocks.Count != last - fromHeight + 1)
        {
            throw new InvalidDataException($"Block {fromHeight + blocks.Count} of node {NodeId} is missing from table {_table.Name}, though it was verified on open.");
        }

        return blocks;
    }

    public async Task<IReadOnlyList<Block>> ReadRangeAsync(long fromHeight, int count, CancellationToken cancellationToken = default)
    {
        var encoded = await ReadEncodedRangeAsync(fromHeight, count, cancellationToken).ConfigureAwait(false);
        return encoded.Select(bytes => BlockCodec.DecodeBlock(bytes)).ToList();
    }

    public async Task TruncateAfterAsync(long height, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(height, -1);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = _head;
            var keep = Math.Min(height, current.Height);
            var head = keep < 0 ? Hash256.Zero : keep == current.Height ? current.Hash : (await ReadAsync(keep, cancellationToken).ConfigureAwait(false))!.Hash;

            // Rows above the served head include any a corruption left: all of them go.
            var doomed = new List<DynamicTableEntity>();
            await foreach (var row in QueryAsync(AboveFilter(keep), cancellationToken).ConfigureAwait(false))
            {
                doomed.Add(row);
            }

            // From the top down, so a crash midway leaves a shorter chain, not a gap.
            doomed.Reverse();
            foreach (var chunk in doomed.Chunk(MaxRowsPerBatch))
            {
                var batch = new TableBatchOperation();
                foreach (var row in chunk)
                {
                    row.ETag = "*";
                    batch.Delete(row);
                }

                await _table.ExecuteBatchAsync(batch, null, null, cancellationToken).ConfigureAwait(false);
                await DeleteBlobsAsync(chunk, cancellationToken).ConfigureAwait(false);
            }

            _head = new Head(keep, head);
            _corruption = null;
            AzureLog.JournalTruncated(_logger, _table.Name, NodeId, keep, doomed.Count);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        return ValueTask.CompletedTask;
    }

    private async Task CommitAsync(List<(Block Block, DynamicTableEntity Row)> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            if (batch.Count == 1)
            {
                await _table.ExecuteAsync(TableOperation.Insert(batch[0].Row), null, null, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var operation = new TableBatchOperation();
                foreach (var (_, row) in batch)
                {
                    operation.Insert(row);
                }

                await _table.ExecuteBatchAsync(operation, null, null, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (StorageException e) when (e.Is(StorageErrors.Conflict))
        {
            // A retried insert whose first attempt landed sees its own rows: that is success, anything else a rival writer.
            if (!await AlreadyWrittenAsync(batch, cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException(
                    $"Blocks {batch[0].Block.Height}..{batch[^1].Block.Height} of node {NodeId} cannot be inserted: table {_table.Name} already holds " +
                    "another block at one of these heights (another writer uses this node id). Reopen the store.", e);
            }

            AzureLog.JournalAppendAlreadyApplied(_logger, _table.Name, NodeId, batch[0].Block.Height, batch[^1].Block.Height);
        }

        _head = new Head(batch[^1].Block.Height, batch[^1].Block.Hash);
    }

    private async Task<bool> AlreadyWrittenAsync(List<(Block Block, DynamicTableEntity Row)> batch, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, DynamicTableEntity>(StringComparer.Ordinal);
        await foreach (var row in QueryAsync(RangeFilter(batch[0].Block.Height, batch[^1].Block.Height), cancellationToken).ConfigureAwait(false))
        {
            found[row.RowKey] = row;
        }

        return batch.All(b => found.TryGetValue(b.Row.RowKey, out var row)
            && BlockRows.Sha256Of(row) is { } sha && sha.AsSpan().SequenceEqual(BlockRows.Sha256Of(b.Row)));
    }

    private async Task<byte[]> ServeAsync(long height, DynamicTableEntity row, CancellationToken cancellationToken)
    {
        var (bytes, problem, _) = await BlockRows.ReadAsync(_container, row, cancellationToken).ConfigureAwait(false);
        return bytes ?? throw new InvalidDataException($"Block {height} of node {NodeId} in table {_table.Name} is damaged since it was opened: {problem}. It is not served.");
    }

    private async Task DeleteBlobsAsync(IEnumerable<DynamicTableEntity> rows, CancellationToken cancellationToken)
    {
        foreach (var row in rows)
        {
            if (BlockRows.BlobOf(row) is { } name)
            {
                await _container.GetBlockBlobReference(name)
                    .DeleteIfExistsAsync(DeleteSnapshotsOption.None, null, null, null, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private string PartitionFilter() => TableQuery.GenerateFilterCondition("PartitionKey", QueryComparisons.Equal, NodeId);

    private string RangeFilter(long from, long to) => TableQuery.CombineFilters(
        TableQuery.CombineFilters(
            PartitionFilter(), TableOperators.And, TableQuery.GenerateFilterCondition("RowKey", QueryComparisons.GreaterThanOrEqual, BlockRows.RowKey(from))),
        TableOperators.And,
        TableQuery.GenerateFilterCondition("RowKey", QueryComparisons.LessThanOrEqual, BlockRows.RowKey(to)));

    private string AboveFilter(long height) => height < 0
        ? PartitionFilter()
        : TableQuery.CombineFilters(
            PartitionFilter(), TableOperators.And, TableQuery.GenerateFilterCondition("RowKey", QueryComparisons.GreaterThan, BlockRows.RowKey(height)));

    /// <summary>The partition's rows matching <paramref name="filter"/>, in RowKey (so height) order.</summary>
    private async IAsyncEnumerable<DynamicTableEntity> QueryAsync(
        string filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = new TableQuery<DynamicTableEntity>().Where(filter);
        TableContinuationToken? token = null;
        do
        {
            var segment = await _table.ExecuteQuerySegmentedAsync(query, token, null, null, cancellationToken).ConfigureAwait(false);
            foreach (var row in segment.Results)
            {
                yield return row;
            }

            token = segment.ContinuationToken;
        }
        while (token is not null);
    }

    private Exception? Refusal(IReadOnlyList<Block> blocks, long next, Hash256 previous)
    {
        if (_corruption is { } corruption)
        {
            return new InvalidOperationException(
                $"The journal of node {NodeId} is corrupt at height {corruption.Height}; truncate it (TruncateAfter) before appending.");
        }

        return AppendRules.CheckContinues(blocks, next, previous);
    }

    private sealed record Head(long Height, Hash256 Hash)
    {
        public static readonly Head Empty = new(-1, Hash256.Zero);
    }
}
