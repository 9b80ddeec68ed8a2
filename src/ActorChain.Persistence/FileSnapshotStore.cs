using System.Globalization;

namespace ActorChain.Persistence;

/// <summary>Snapshots as <c>snapshot-&lt;height&gt;.bin</c> files in one directory, each written to a temp file, fsynced and renamed into place.</summary>
public sealed class FileSnapshotStore : ISnapshotStore
{
    private const string Prefix = "snapshot-";
    private const string Extension = ".bin";

    public FileSnapshotStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string PathOf(long height) => Path.Combine(Directory, Prefix + height.ToString(CultureInfo.InvariantCulture) + Extension);

    public Task SaveAsync(long height, ReadOnlyMemory<byte> snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        return DurableFile.WriteAtomicallyAsync(PathOf(height), snapshot, cancellationToken);
    }

    public Task<IReadOnlyList<long>> ListHeightsAsync(CancellationToken cancellationToken = default)
    {
        var heights = new List<long>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, Prefix + "*" + Extension))
        {
            var name = Path.GetFileName(path.AsSpan());
            var digits = name[Prefix.Length..^Extension.Length];
            if (long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var height))
            {
                heights.Add(height);
            }
        }

        heights.Sort();
        return Task.FromResult<IReadOnlyList<long>>(heights);
    }

    public async Task<byte[]?> ReadAsync(long height, CancellationToken cancellationToken = default)
    {
        try
        {
            return await File.ReadAllBytesAsync(PathOf(height), cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    public Task DeleteAsync(long height, CancellationToken cancellationToken = default)
    {
        File.Delete(PathOf(height));
        DurableFile.SyncDirectory(Directory);
        return Task.CompletedTask;
    }

    /// <summary>Removes temp files a crash left behind mid-save.</summary>
    public void DeleteStaleTempFiles()
    {
        foreach (var temp in System.IO.Directory.EnumerateFiles(Directory, Prefix + "*" + Extension + ".*.tmp"))
        {
            File.Delete(temp);
        }
    }
}
