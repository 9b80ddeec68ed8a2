using System.Collections.Concurrent;
using ActorChain.Cli.Http;

namespace ActorChain.Cli.Files;

internal sealed record UploadFailure(string Path, string Error);

internal sealed record UploadSummary(
    int Total, int Uploaded, int AlreadyStored, int Failed, long BytesUploaded, double ElapsedSeconds, bool Cancelled, IReadOnlyList<UploadFailure> Failures);

/// <summary>
/// Uploads files with <c>parallel</c> workers: hash locally, ask the node whether it has that content
/// (<see cref="UploadPlan.Decide"/>), send only what it lacks. A failed file is recorded and the rest go on.
/// </summary>
internal sealed class FolderUploader(NodeClient client, int parallel, IReadOnlyList<string> tags)
{
    private int _uploaded;
    private int _alreadyStored;
    private long _bytesUploaded;

    public async Task<UploadSummary> RunAsync(IReadOnlyList<LocalFile> files, TransferProgress progress, Action? onFileDone, CancellationToken ct)
    {
        var failures = new ConcurrentBag<UploadFailure>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var cancelled = false;
        try
        {
            await Parallel.ForEachAsync(
                files,
                new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = ct },
                async (file, token) =>
                {
                    var sent = false;
                    try
                    {
                        sent = await UploadOneAsync(file, token);
                    }
                    catch (Exception e) when (e is NodeApiException or NodeUnreachableException or IOException or UnauthorizedAccessException)
                    {
                        failures.Add(new UploadFailure(file.RelativePath, e.Message));
                    }

                    progress.Completed(file.Size, sent);
                    onFileDone?.Invoke();
                });
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            cancelled = true;
        }

        var failed = failures.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        return new UploadSummary(files.Count, _uploaded, _alreadyStored, failed.Count, _bytesUploaded, clock.Elapsed.TotalSeconds, cancelled, failed);
    }

    /// <summary>True when the bytes were sent.</summary>
    private async Task<bool> UploadOneAsync(LocalFile file, CancellationToken ct)
    {
        var sha256 = await UploadPlan.Sha256Async(file.FullPath, ct);
        if (UploadPlan.Decide(sha256, file.Size, await client.FileAsync(sha256, ct)) == UploadAction.Skip)
        {
            Interlocked.Increment(ref _alreadyStored);
            return false;
        }

        var name = Path.GetFileName(file.FullPath);
        var result = await client.UploadAsync(
            () => new FileStream(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan),
            name,
            ContentTypes.Of(name),
            tags,
            ct);
        if (!string.Equals(result.File.Sha256, sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new IOException($"the node stored SHA-256 {result.File.Sha256}, but the file hashes to {sha256} (did it change while uploading?)");
        }

        if (result.Created)
        {
            Interlocked.Increment(ref _uploaded);
        }
        else
        {
            Interlocked.Increment(ref _alreadyStored);
        }

        Interlocked.Add(ref _bytesUploaded, file.Size);
        return true;
    }
}
