using ActorChain.Persistence;
using BenchmarkDotNet.Attributes;

namespace ActorChain.Benchmarks.Gateway;

/// <summary>
/// Issue 7's upload goal (at least 200 MB/s): 8 concurrent 4 MB uploads into the local file store,
/// each hashed with SHA-256 while written, fsynced and renamed into place. One operation is all 8
/// (32 MiB), so MB/s = 33.55 / the time in seconds. Every upload's bytes differ from every earlier
/// one's, so none is skipped as a duplicate.
/// </summary>
[MemoryDiagnoser]
public class FileUploadBenchmarks
{
    public const int Uploads = 8;
    public const int UploadBytes = 4 * 1024 * 1024;

    private readonly byte[][] _contents = new byte[Uploads][];
    private string _directory = "";
    private LocalFileStore _store = null!;
    private long _round;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "actorchain-upload-bench-" + Guid.NewGuid().ToString("N"));
        _store = new LocalFileStore(_directory);
        var random = new Random(1);
        for (var i = 0; i < Uploads; i++)
        {
            random.NextBytes(_contents[i] = new byte[UploadBytes]);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    // Keeps the disk from filling over a long run; outside the measured time.
    [IterationCleanup]
    public void RemoveStored() => UploadThroughput.RemoveStored(_store);

    [Benchmark]
    public async Task<long> EightConcurrent4MbUploads()
    {
        var round = ++_round;
        var puts = new Task<StoredFile>[Uploads];
        for (var i = 0; i < Uploads; i++)
        {
            BitConverter.TryWriteBytes(_contents[i], round);
            puts[i] = PutAsync(_store, _contents[i]);
        }

        long stored = 0;
        foreach (var file in await Task.WhenAll(puts))
        {
            stored += file.Created ? file.Length : throw new InvalidOperationException("An upload was taken for a duplicate.");
        }

        return stored;
    }

    // Task.Run: eight uploads arriving on eight connections run on pool threads, not one after another.
    internal static Task<StoredFile> PutAsync(IFileStore store, byte[] content) =>
        Task.Run(() => store.PutAsync(new MemoryStream(content, writable: false)));
}
