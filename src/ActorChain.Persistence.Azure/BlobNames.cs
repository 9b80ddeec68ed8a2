using System.Runtime.CompilerServices;
using Microsoft.WindowsAzure.Storage.Blob;

namespace ActorChain.Persistence.Azure;

internal static class BlobNames
{
    /// <summary>A node id becomes a blob path element and a table partition key: no '/', '\', '#', '?' or control characters.</summary>
    public static void ValidateNodeId(string nodeId, [CallerArgumentExpression(nameof(nodeId))] string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId, name);
        foreach (var c in nodeId)
        {
            if (c is '/' or '\\' or '#' or '?' || char.IsControl(c))
            {
                throw new ArgumentException($"The node id '{nodeId}' holds '{c}', which Azure Table keys and blob paths cannot hold.", name);
            }
        }
    }

    public static async IAsyncEnumerable<string> ListAsync(
        CloudBlobContainer container, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        BlobContinuationToken? token = null;
        do
        {
            var segment = await container.ListBlobsSegmentedAsync(
                prefix, true, BlobListingDetails.None, null, token, null, null, cancellationToken).ConfigureAwait(false);
            foreach (var item in segment.Results)
            {
                if (item is CloudBlob blob)
                {
                    yield return blob.Name;
                }
            }

            token = segment.ContinuationToken;
        }
        while (token is not null);
    }
}
