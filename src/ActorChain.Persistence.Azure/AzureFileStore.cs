using ActorChain.Chain;
using Microsoft.WindowsAzure.Storage;
using Microsoft.WindowsAzure.Storage.Blob;

namespace ActorChain.Persistence.Azure;

/// <summary>
/// Files as block blobs <c>files/&lt;sha[0..2]&gt;/&lt;sha&gt;</c> in the cluster's container. A put streams the
/// content to a staging blob while hashing it, then copies it to its address with If-None-Match *
/// (so the first of two puts of the same bytes stores them, the second stores nothing) and drops the staging blob.
/// </summary>
public sealed class AzureFileStore : IFileStore
{
    private const string Root = "files/";
    private const string Staging = "files-staging/";
    private static readonly TimeSpan CopyPollInterval = TimeSpan.FromMilliseconds(50);

    private readonly CloudBlobContainer _container;
    private readonly TimeSpan _copyTimeout;

    public AzureFileStore(AzureStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _container = storage.Container;
        _copyTimeout = storage.Options.OperationTimeout;
    }

    public static string BlobNameOf(Hash256 sha256)
    {
        var hex = sha256.ToString();
        return Root + hex[..2] + "/" + hex;
    }

    public async Task<StoredFile> PutAsync(Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var staging = _container.GetBlockBlobReference(Staging + Guid.NewGuid().ToString("N"));
        try
        {
            Hash256 sha;
            long length;
            using (var hashing = new HashingStream(content))
            {
                await staging.UploadFromStreamAsync(hashing, null, null, null, cancellationToken).ConfigureAwait(false);
                sha = new Hash256(hashing.GetHash());
                length = hashing.BytesRead;
            }

            var target = _container.GetBlockBlobReference(BlobNameOf(sha));
            try
            {
                await target.StartCopyAsync(staging, null, AccessCondition.GenerateIfNoneMatchCondition("*"), null, null, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageException e) when (e.IsAlreadyExists())
            {
                return new StoredFile(sha, length, false);
            }

            await AwaitCopyAsync(target, cancellationToken).ConfigureAwait(false);
            return new StoredFile(sha, length, true);
        }
        finally
        {
            await staging.DeleteIfExistsAsync(DeleteSnapshotsOption.None, null, null, null, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async Task<long?> GetLengthAsync(Hash256 sha256, CancellationToken cancellationToken = default)
    {
        var blob = _container.GetBlockBlobReference(BlobNameOf(sha256));
        try
        {
            await blob.FetchAttributesAsync(null, null, null, cancellationToken).ConfigureAwait(false);
            return blob.Properties.Length;
        }
        catch (StorageException e) when (e.Is(StorageErrors.NotFound))
        {
            return null;
        }
    }

    public async Task<Stream?> OpenReadAsync(Hash256 sha256, long offset = 0, long? length = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var blob = _container.GetBlockBlobReference(BlobNameOf(sha256));
        Stream stream;
        try
        {
            // The blob stream fetches ranges on demand and pins the ETag, so a read never mixes two versions.
            stream = await blob.OpenReadAsync(null, null, null, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException e) when (e.Is(StorageErrors.NotFound))
        {
            return null;
        }

        stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
        return new RangeStream(stream, length);
    }

    public async Task<bool> DeleteAsync(Hash256 sha256, CancellationToken cancellationToken = default) =>
        await _container.GetBlockBlobReference(BlobNameOf(sha256))
            .DeleteIfExistsAsync(DeleteSnapshotsOption.None, null, null, null, cancellationToken).ConfigureAwait(false);

    /// <summary>A copy within one account usually completes at once; a pending one is polled until it ends.</summary>
    private async Task AwaitCopyAsync(CloudBlockBlob target, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + _copyTimeout;
        while (true)
        {
            await target.FetchAttributesAsync(null, null, null, cancellationToken).ConfigureAwait(false);
            switch (target.CopyState?.Status)
            {
                case null or CopyStatus.Success:
                    return;
                case CopyStatus.Pending when DateTime.UtcNow < deadline:
                    await Task.Delay(CopyPollInterval, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    throw new IOException(
                        $"Copying to {target.Name} ended {target.CopyState.Status}: {target.CopyState.StatusDescription}");
            }
        }
    }
}
