using System.Globalization;
using System.Security.Cryptography;
using Microsoft.WindowsAzure.Storage;
using Microsoft.WindowsAzure.Storage.Blob;
using Microsoft.WindowsAzure.Storage.Table;

namespace ActorChain.Persistence.Azure;

/// <summary>
/// One journal row per block: PartitionKey = node id, RowKey = height in 19 digits, the block's canonical
/// bytes in <c>D00</c>, <c>D01</c>, ... binary properties of at most 64 KiB each (Table's limit per
/// property), its length and SHA-256 beside them. A block too big for one entity (1 MiB) goes to the
/// blob <c>blocks/&lt;nodeId&gt;/&lt;height&gt;-&lt;sha256&gt;.bin</c>, uploaded before the row that names it
/// is inserted, so the row insert stays the one atomic commit point.
/// </summary>
internal static class BlockRows
{
    public const int ChunkBytes = 64 * 1024;

    /// <summary>Inline chunks per row: 14 × 64 KiB plus the other properties stays under the 1 MiB entity limit.</summary>
    public const int MaxInlineChunks = 14;

    public const int MaxInlineBytes = MaxInlineChunks * ChunkBytes;

    private const string LengthProperty = "Length";
    private const string Sha256Property = "Sha256";
    private const string BlobProperty = "Blob";

    public static string RowKey(long height) => height.ToString("D19", CultureInfo.InvariantCulture);

    public static bool TryParseRowKey(string rowKey, out long height)
    {
        height = -1;
        return rowKey.Length == 19 && long.TryParse(rowKey, NumberStyles.None, CultureInfo.InvariantCulture, out height);
    }

    public static string BlobName(string nodeId, long height, ReadOnlySpan<byte> sha256) =>
        $"blocks/{nodeId}/{RowKey(height)}-{Convert.ToHexStringLower(sha256)}.bin";

    public static string ChunkName(int index) => "D" + index.ToString("D2", CultureInfo.InvariantCulture);

    /// <summary>The row for a block; uploads the block as a blob first when it is too big to sit inline.</summary>
    public static async Task<DynamicTableEntity> CreateAsync(
        CloudBlobContainer container, string nodeId, long height, byte[] encoded, CancellationToken cancellationToken)
    {
        var sha = SHA256.HashData(encoded);
        var entity = new DynamicTableEntity(nodeId, RowKey(height));
        entity.Properties[LengthProperty] = new EntityProperty(encoded.Length);
        entity.Properties[Sha256Property] = new EntityProperty(sha);
        if (encoded.Length <= MaxInlineBytes)
        {
            SetChunks(entity, encoded);
        }
        else
        {
            var name = BlobName(nodeId, height, sha);
            await container.GetBlockBlobReference(name)
                .UploadFromByteArrayAsync(encoded, 0, encoded.Length, null, null, null, cancellationToken).ConfigureAwait(false);
            entity.Properties[BlobProperty] = new EntityProperty(name);
        }

        return entity;
    }

    public static void SetChunks(DynamicTableEntity entity, ReadOnlySpan<byte> data)
    {
        for (int i = 0, offset = 0; offset < data.Length; i++, offset += ChunkBytes)
        {
            entity.Properties[ChunkName(i)] = new EntityProperty(data.Slice(offset, Math.Min(ChunkBytes, data.Length - offset)).ToArray());
        }
    }

    public static string? BlobOf(DynamicTableEntity entity) =>
        entity.Properties.TryGetValue(BlobProperty, out var blob) ? blob.StringValue : null;

    public static int InlineBytes(DynamicTableEntity entity) =>
        entity.Properties.Where(p => p.Key.StartsWith('D')).Sum(p => p.Value.BinaryValue?.Length ?? 0);

    public static byte[]? Sha256Of(DynamicTableEntity entity) =>
        entity.Properties.TryGetValue(Sha256Property, out var sha) ? sha.BinaryValue : null;

    /// <summary>The row's block bytes, or why they cannot be had. Incomplete tells a short row (what a torn write leaves) from a wrong one.</summary>
    public static async Task<(byte[]? Bytes, string? Problem, bool Incomplete)> ReadAsync(
        CloudBlobContainer container, DynamicTableEntity entity, CancellationToken cancellationToken)
    {
        if (!entity.Properties.TryGetValue(LengthProperty, out var lengthProperty) || lengthProperty.Int32Value is not int length || length < 0
            || Sha256Of(entity) is not { Length: 32 } sha)
        {
            return (null, "its row lacks the Length or Sha256 property", false);
        }

        byte[] bytes;
        if (BlobOf(entity) is { } blobName)
        {
            try
            {
                using var buffer = new MemoryStream();
                await container.GetBlockBlobReference(blobName).DownloadToStreamAsync(buffer, null, null, null, cancellationToken).ConfigureAwait(false);
                bytes = buffer.ToArray();
            }
            catch (StorageException e) when (e.Is(StorageErrors.NotFound))
            {
                return (null, $"its blob {blobName} is missing", true);
            }
        }
        else
        {
            bytes = new byte[Math.Min(length, InlineBytes(entity))];
            var offset = 0;
            for (var i = 0; offset < bytes.Length && entity.Properties.TryGetValue(ChunkName(i), out var chunk) && chunk.BinaryValue is { } data; i++)
            {
                var n = Math.Min(data.Length, bytes.Length - offset);
                data.AsSpan(0, n).CopyTo(bytes.AsSpan(offset));
                offset += n;
            }

            if (offset < bytes.Length)
            {
                Array.Resize(ref bytes, offset);
            }
        }

        if (bytes.Length < length)
        {
            return (null, $"its row holds {bytes.Length} of the block's {length} bytes", true);
        }

        if (bytes.Length > length)
        {
            return (null, $"its row holds {bytes.Length} bytes but records a length of {length}", false);
        }

        if (!SHA256.HashData(bytes).AsSpan().SequenceEqual(sha))
        {
            return (null, "its bytes do not match the SHA-256 stored with them", false);
        }

        return (bytes, null, false);
    }
}
