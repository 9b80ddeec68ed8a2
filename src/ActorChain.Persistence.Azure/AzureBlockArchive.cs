using System.Buffers.Binary;
using System.Globalization;
using ActorChain.Chain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.WindowsAzure.Storage;

namespace ActorChain.Persistence.Azure;

/// <summary>An archived run of blocks: the block blob <see cref="BlobName"/> holds blocks <see cref="FirstHeight"/>..<see cref="LastHeight"/>.</summary>
public sealed record ArchivedSegment(long FirstHeight, long LastHeight, string BlobName);

/// <summary>
/// An archive of a node's decided blocks in Blob storage: after each decided batch, one immutable block blob
/// <c>archive/&lt;nodeId&gt;/&lt;first&gt;-&lt;last&gt;.seg</c> (heights in 19 digits) holding each block's canonical
/// bytes behind a 4-byte little-endian length. Created with If-None-Match *: archiving a batch twice keeps the first.
/// </summary>
public sealed class AzureBlockArchive
{
    private const string Root = "archive/";
    private const string Extension = ".seg";

    private readonly AzureStorage _storage;
    private readonly ILogger _logger;

    public AzureBlockArchive(AzureStorage storage, string nodeId, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        BlobNames.ValidateNodeId(nodeId);
        _storage = storage;
        NodeId = nodeId;
        _logger = logger ?? NullLogger.Instance;
    }

    public string NodeId { get; }

    /// <summary>Archives consecutive blocks as one segment; false when that segment was archived already (nothing is written).</summary>
    public async Task<bool> ArchiveAsync(IReadOnlyList<Block> blocks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentOutOfRangeException.ThrowIfZero(blocks.Count);
        for (var i = 1; i < blocks.Count; i++)
        {
            if (blocks[i].Height != blocks[i - 1].Height + 1 || blocks[i].PrevHash != blocks[i - 1].Hash)
            {
                throw new ArgumentException($"Block {blocks[i].Height} does not follow block {blocks[i - 1].Height}: a segment holds consecutive linked blocks.", nameof(blocks));
            }
        }

        var size = blocks.Sum(b => 4L + BlockCodec.GetBlockSize(b));
        var bytes = new byte[size];
        var offset = 0;
        foreach (var block in blocks)
        {
            var length = BlockCodec.GetBlockSize(block);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(offset), length);
            BlockCodec.WriteBlock(block, bytes.AsSpan(offset + 4, length));
            offset += 4 + length;
        }

        var (first, last) = (blocks[0].Height, blocks[^1].Height);
        var blob = _storage.Container.GetBlockBlobReference(BlobNameOf(first, last));
        try
        {
            await blob.UploadFromByteArrayAsync(bytes, 0, bytes.Length, AccessCondition.GenerateIfNoneMatchCondition("*"), null, null, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (StorageException e) when (e.IsAlreadyExists())
        {
            AzureLog.SegmentArchived(_logger, NodeId, first, last, size, "was archived already");
            return false;
        }

        AzureLog.SegmentArchived(_logger, NodeId, first, last, size, "archived");
        return true;
    }

    /// <summary>The node's segments by first height.</summary>
    public async Task<IReadOnlyList<ArchivedSegment>> ListAsync(CancellationToken cancellationToken = default)
    {
        var segments = new List<ArchivedSegment>();
        await foreach (var name in BlobNames.ListAsync(_storage.Container, Root + NodeId + "/", cancellationToken).ConfigureAwait(false))
        {
            var file = name.AsSpan(name.LastIndexOf('/') + 1);
            if (file.Length == 19 + 1 + 19 + Extension.Length && file.EndsWith(Extension, StringComparison.Ordinal) && file[19] == '-'
                && long.TryParse(file[..19], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                && long.TryParse(file[20..39], NumberStyles.None, CultureInfo.InvariantCulture, out var last))
            {
                segments.Add(new ArchivedSegment(first, last, name));
            }
        }

        segments.Sort((a, b) => a.FirstHeight.CompareTo(b.FirstHeight));
        return segments;
    }

    /// <summary>The segment's blocks, canonical bytes in height order; the caller verifies the chain.</summary>
    /// <exception cref="InvalidDataException">The segment is missing, cut short, or holds other heights than its name says.</exception>
    public async Task<IReadOnlyList<byte[]>> ReadAsync(ArchivedSegment segment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(segment);
        var stored = await AzureSnapshotStore.ReadBlobAsync(_storage.Container.GetBlockBlobReference(segment.BlobName), cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"Archive segment {segment.BlobName} is missing.");
        var bytes = stored.Bytes;
        var blocks = new List<byte[]>();
        var offset = 0;
        while (offset < bytes.Length)
        {
            var height = segment.FirstHeight + blocks.Count;
            var length = bytes.Length - offset >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset)) : -1;
            if (length < 0 || length > bytes.Length - offset - 4)
            {
                throw new InvalidDataException($"Archive segment {segment.BlobName} is cut short at block {height} (byte {offset}).");
            }

            var block = bytes.AsSpan(offset + 4, length);
            if (!BlockCodec.TryDecodeBlock(block, out var decoded, out var error) || decoded!.Height != height)
            {
                throw new InvalidDataException(
                    $"Archive segment {segment.BlobName} holds a bad block where block {height} belongs: {error ?? $"it is block {decoded!.Height}"}.");
            }

            blocks.Add(block.ToArray());
            offset += 4 + length;
        }

        if (segment.FirstHeight + blocks.Count - 1 != segment.LastHeight)
        {
            throw new InvalidDataException(
                $"Archive segment {segment.BlobName} holds blocks {segment.FirstHeight}..{segment.FirstHeight + blocks.Count - 1}, not up to {segment.LastHeight}.");
        }

        return blocks;
    }

    private string BlobNameOf(long first, long last) =>
        $"{Root}{NodeId}/{first.ToString("D19", CultureInfo.InvariantCulture)}-{last.ToString("D19", CultureInfo.InvariantCulture)}{Extension}";
}
