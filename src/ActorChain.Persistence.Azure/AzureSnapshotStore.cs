using System.Globalization;
using Microsoft.WindowsAzure.Storage;
using Microsoft.WindowsAzure.Storage.Blob;

namespace ActorChain.Persistence.Azure;

/// <summary>How a conditional snapshot write ended.</summary>
public enum SnapshotWriteOutcome
{
    /// <summary>This write created the snapshot.</summary>
    Created,

    /// <summary>This write replaced the snapshot with the ETag it was given.</summary>
    Replaced,

    /// <summary>The snapshot already exists (on create) or changed since the given ETag (on replace): another writer won and this write changed nothing.</summary>
    LostRace,
}

/// <param name="Outcome">Whether this write won.</param>
/// <param name="ETag">The snapshot's ETag after the write: this write's when it won, null when it lost.</param>
public sealed record SnapshotWriteResult(SnapshotWriteOutcome Outcome, string? ETag)
{
    public bool Won => Outcome != SnapshotWriteOutcome.LostRace;
}

/// <summary>A snapshot's bytes with the ETag to replace it conditionally.</summary>
public sealed record VersionedSnapshot(byte[] Bytes, string ETag);

/// <summary>
/// Ledger snapshots of one node as block blobs <c>snapshots/&lt;nodeId&gt;/snapshot-&lt;height, 19 digits&gt;.bin</c>
/// in the cluster's container. Every write is conditional: a create sends If-None-Match *, so of two
/// writers of one height exactly one wins; a replace sends If-Match with the ETag it read.
/// </summary>
public sealed class AzureSnapshotStore : ISnapshotStore
{
    internal const string Root = "snapshots/";
    private const string Prefix = "snapshot-";
    private const string Extension = ".bin";

    private readonly CloudBlobContainer _container;

    public AzureSnapshotStore(AzureStorage storage, string nodeId)
    {
        ArgumentNullException.ThrowIfNull(storage);
        BlobNames.ValidateNodeId(nodeId);
        _container = storage.Container;
        NodeId = nodeId;
    }

    public string NodeId { get; }

    public string BlobNameOf(long height) => NodePrefix(NodeId) + Prefix + height.ToString("D19", CultureInfo.InvariantCulture) + Extension;

    /// <summary>
    /// Saves the snapshot unless another writer's snapshot of the height is already there: the first
    /// writer wins (If-None-Match *). A loser whose bytes differ replaces the winner's only if nobody
    /// changed it since it read it (If-Match), so the store holds one writer's whole snapshot, never a mix.
    /// </summary>
    public async Task SaveAsync(long height, ReadOnlyMemory<byte> snapshot, CancellationToken cancellationToken = default)
    {
        var created = await TryCreateAsync(height, snapshot, cancellationToken).ConfigureAwait(false);
        if (created.Won)
        {
            return;
        }

        // A snapshot of one height is deterministic for a node; different bytes mean the old one is damaged.
        var existing = await ReadVersionedAsync(height, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            await TryCreateAsync(height, snapshot, cancellationToken).ConfigureAwait(false);
        }
        else if (!existing.Bytes.AsSpan().SequenceEqual(snapshot.Span))
        {
            await TryReplaceAsync(height, snapshot, existing.ETag, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Creates the snapshot only if none of this height exists (If-None-Match *).</summary>
    public async Task<SnapshotWriteResult> TryCreateAsync(long height, ReadOnlyMemory<byte> snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        var blob = _container.GetBlockBlobReference(BlobNameOf(height));
        try
        {
            await UploadAsync(blob, snapshot, AccessCondition.GenerateIfNoneMatchCondition("*"), cancellationToken).ConfigureAwait(false);
            return new SnapshotWriteResult(SnapshotWriteOutcome.Created, blob.Properties.ETag);
        }
        catch (StorageException e) when (e.IsAlreadyExists())
        {
            return new SnapshotWriteResult(SnapshotWriteOutcome.LostRace, null);
        }
    }

    /// <summary>Replaces the snapshot only if its ETag is still <paramref name="etag"/> (If-Match).</summary>
    public async Task<SnapshotWriteResult> TryReplaceAsync(long height, ReadOnlyMemory<byte> snapshot, string etag, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        ArgumentException.ThrowIfNullOrEmpty(etag);
        var blob = _container.GetBlockBlobReference(BlobNameOf(height));
        try
        {
            await UploadAsync(blob, snapshot, AccessCondition.GenerateIfMatchCondition(etag), cancellationToken).ConfigureAwait(false);
            return new SnapshotWriteResult(SnapshotWriteOutcome.Replaced, blob.Properties.ETag);
        }
        catch (StorageException e) when (e.Is(StorageErrors.PreconditionFailed) || e.Is(StorageErrors.NotFound))
        {
            return new SnapshotWriteResult(SnapshotWriteOutcome.LostRace, null);
        }
    }

    public Task<IReadOnlyList<long>> ListHeightsAsync(CancellationToken cancellationToken = default) =>
        ListHeightsAsync(_container, NodePrefix(NodeId), cancellationToken);

    public async Task<byte[]?> ReadAsync(long height, CancellationToken cancellationToken = default) =>
        (await ReadVersionedAsync(height, cancellationToken).ConfigureAwait(false))?.Bytes;

    /// <summary>The snapshot with its ETag (for <see cref="TryReplaceAsync"/>); null when there is none.</summary>
    public Task<VersionedSnapshot?> ReadVersionedAsync(long height, CancellationToken cancellationToken = default) =>
        ReadBlobAsync(_container.GetBlockBlobReference(BlobNameOf(height)), cancellationToken);

    public async Task DeleteAsync(long height, CancellationToken cancellationToken = default)
    {
        var blob = _container.GetBlockBlobReference(BlobNameOf(height));
        await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.None, null, null, null, cancellationToken).ConfigureAwait(false);
    }

    internal static string NodePrefix(string nodeId) => Root + nodeId + "/";

    internal static bool TryParseHeight(string blobName, out long height)
    {
        height = -1;
        var name = blobName.AsSpan(blobName.LastIndexOf('/') + 1);
        return name.StartsWith(Prefix, StringComparison.Ordinal)
            && name.EndsWith(Extension, StringComparison.Ordinal)
            && long.TryParse(name[Prefix.Length..^Extension.Length], NumberStyles.None, CultureInfo.InvariantCulture, out height);
    }

    internal static async Task<IReadOnlyList<long>> ListHeightsAsync(CloudBlobContainer container, string prefix, CancellationToken cancellationToken)
    {
        var heights = new List<long>();
        await foreach (var name in BlobNames.ListAsync(container, prefix, cancellationToken).ConfigureAwait(false))
        {
            if (TryParseHeight(name, out var height))
            {
                heights.Add(height);
            }
        }

        heights.Sort();
        return heights;
    }

    internal static async Task<VersionedSnapshot?> ReadBlobAsync(CloudBlockBlob blob, CancellationToken cancellationToken)
    {
        try
        {
            using var buffer = new MemoryStream();
            await blob.DownloadToStreamAsync(buffer, null, null, null, cancellationToken).ConfigureAwait(false);
            return new VersionedSnapshot(buffer.ToArray(), blob.Properties.ETag);
        }
        catch (StorageException e) when (e.Is(StorageErrors.NotFound))
        {
            return null;
        }
    }

    private static Task UploadAsync(CloudBlockBlob blob, ReadOnlyMemory<byte> snapshot, AccessCondition condition, CancellationToken cancellationToken)
    {
        // The SDK wants an array; a snapshot is encoded into one, so this rarely copies.
        var bytes = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(snapshot, out var segment) && segment.Array is not null
            ? segment
            : new ArraySegment<byte>(snapshot.ToArray());
        return blob.UploadFromByteArrayAsync(bytes.Array, bytes.Offset, bytes.Count, condition, null, null, cancellationToken);
    }
}
