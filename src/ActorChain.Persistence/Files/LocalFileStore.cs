using System.Security.Cryptography;
using ActorChain.Chain;

namespace ActorChain.Persistence;

/// <summary>
/// Files under one directory as <c>&lt;sha[0..2]&gt;/&lt;sha&gt;</c>, each written to a temp file while hashing,
/// fsynced, renamed into place (never over an existing file) and its directory fsynced.
/// </summary>
public sealed class LocalFileStore : IFileStore
{
    private const string TempDirectory = "tmp";

    public LocalFileStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, TempDirectory));
    }

    public string Directory { get; }

    public string PathOf(Hash256 sha256)
    {
        var hex = sha256.ToString();
        return Path.Combine(Directory, hex[..2], hex);
    }

    public async Task<StoredFile> PutAsync(Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var temp = Path.Combine(Directory, TempDirectory, Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            Hash256 sha;
            long length;
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                var buffer = new byte[81920];
                int n;
                while ((n = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                }

                file.Flush(flushToDisk: true);
                length = file.Length;
                sha = new Hash256(hash.GetHashAndReset());
            }

            var target = PathOf(sha);
            if (File.Exists(target))
            {
                return new StoredFile(sha, length, false);
            }

            var folder = Path.GetDirectoryName(target)!;
            System.IO.Directory.CreateDirectory(folder);
            try
            {
                File.Move(temp, target, overwrite: false);
            }
            catch (IOException) when (File.Exists(target))
            {
                return new StoredFile(sha, length, false);
            }

            DurableFile.SyncDirectory(folder);
            return new StoredFile(sha, length, true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public Task<long?> GetLengthAsync(Hash256 sha256, CancellationToken cancellationToken = default)
    {
        var file = new FileInfo(PathOf(sha256));
        return Task.FromResult(file.Exists ? file.Length : (long?)null);
    }

    public Task<Stream?> OpenReadAsync(Hash256 sha256, long offset = 0, long? length = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        FileStream file;
        try
        {
            file = new FileStream(PathOf(sha256), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }

        file.Seek(Math.Min(offset, file.Length), SeekOrigin.Begin);
        return Task.FromResult<Stream?>(new RangeStream(file, length));
    }

    public Task<bool> DeleteAsync(Hash256 sha256, CancellationToken cancellationToken = default)
    {
        var path = PathOf(sha256);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }

        File.Delete(path);
        DurableFile.SyncDirectory(Path.GetDirectoryName(path)!);
        return Task.FromResult(true);
    }
}
