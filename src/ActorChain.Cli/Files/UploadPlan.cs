using System.Security.Cryptography;
using ActorChain.Cli.Http;

namespace ActorChain.Cli.Files;

internal enum UploadAction
{
    Upload,
    Skip,
}

/// <summary>The resume rule of <c>files upload</c>: content the node already stores is not sent again.</summary>
internal static class UploadPlan
{
    /// <summary>
    /// Skip when the node holds a file with this id (ids are content hashes) of the same size; a
    /// record that disagrees on size is not trusted, and the bytes are sent so the node can judge.
    /// </summary>
    public static UploadAction Decide(string localSha256, long localSize, StoredFile? stored) =>
        stored is not null && string.Equals(stored.Sha256, localSha256, StringComparison.OrdinalIgnoreCase) && stored.Size == localSize
            ? UploadAction.Skip
            : UploadAction.Upload;

    /// <summary>Lower-case hex SHA-256 of the file's bytes: the file id the node will give it.</summary>
    public static async Task<string> Sha256Async(string path, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }
}
