using System.Diagnostics;
using System.Security.Cryptography;
using ActorChain.Persistence;

namespace ActorChain.Benchmarks.Gateway;

/// <summary>
/// Upload MB/s in rounds of 8 concurrent 4 MB uploads, beside what bounds it: the same bytes only
/// hashed (SHA-256), and only written and fsynced (no hash):
/// <c>dotnet run -c Release --project benchmarks/ActorChain.Benchmarks -- gateway-upload [rounds]</c>.
/// </summary>
internal static class UploadThroughput
{
    public const string Mode = "gateway-upload";

    private const int Uploads = FileUploadBenchmarks.Uploads;
    private const int UploadBytes = FileUploadBenchmarks.UploadBytes;
    private const double RoundMegabytes = Uploads * (double)UploadBytes / 1e6;

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20;
        var directory = Path.Combine(Path.GetTempPath(), "actorchain-upload-" + Guid.NewGuid().ToString("N"));
        var store = new LocalFileStore(directory);
        var contents = new byte[Uploads][];
        var random = new Random(1);
        for (var i = 0; i < Uploads; i++)
        {
            random.NextBytes(contents[i] = new byte[UploadBytes]);
        }

        try
        {
            Console.WriteLine($"{rounds} rounds of {Uploads} concurrent uploads of {UploadBytes:N0} bytes into {directory}; load average {LoadAverage()}");
            var store8 = await MeasureAsync("LocalFileStore.PutAsync (hash + write + fsync + rename)", rounds, async round =>
            {
                var puts = new Task<StoredFile>[Uploads];
                for (var i = 0; i < Uploads; i++)
                {
                    BitConverter.TryWriteBytes(contents[i], round);
                    puts[i] = FileUploadBenchmarks.PutAsync(store, contents[i]);
                }

                foreach (var file in await Task.WhenAll(puts))
                {
                    if (!file.Created)
                    {
                        throw new InvalidOperationException("An upload was taken for a duplicate.");
                    }
                }

                RemoveStored(store);
            });
            await MeasureAsync("SHA-256 only (IncrementalHash, 80 KB appends)", rounds, round =>
                Task.WhenAll(contents.Select(content => Task.Run(() => HashOnly(content)))));
            await MeasureAsync("write + fsync only (no hash, no rename)", rounds, round =>
                Task.WhenAll(contents.Select((content, i) => Task.Run(() => WriteOnly(Path.Combine(directory, $"raw{i}"), content, fsync: true)))));
            await MeasureAsync("write only (page cache, no fsync)", rounds, round =>
                Task.WhenAll(contents.Select((content, i) => Task.Run(() => WriteOnly(Path.Combine(directory, $"raw{i}"), content, fsync: false)))));
            Console.WriteLine($"load average {LoadAverage()}");
            return store8 > 0 ? 0 : 1;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Every stored file is deleted (the timing of the next round starts on an empty store).</summary>
    internal static void RemoveStored(LocalFileStore store)
    {
        foreach (var folder in Directory.GetDirectories(store.Directory))
        {
            if (Path.GetFileName(folder) != "tmp")
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    // Median MB/s over the rounds after one warm-up round. The store's rounds include deleting what they stored
    // (small next to 32 MB of writes), so that number is a floor.
    private static async Task<double> MeasureAsync(string what, int rounds, Func<long, Task> round)
    {
        await round(-1);
        var rates = new double[rounds];
        for (var r = 0; r < rounds; r++)
        {
            var start = Stopwatch.GetTimestamp();
            await round(r);
            rates[r] = RoundMegabytes / Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        Array.Sort(rates);
        Console.WriteLine($"| {what} | {rates[rounds / 2]:N0} MB/s | min {rates[0]:N0} | max {rates[^1]:N0} |");
        return rates[rounds / 2];
    }

    private static void HashOnly(byte[] content)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var offset = 0; offset < content.Length; offset += 81920)
        {
            hash.AppendData(content, offset, Math.Min(81920, content.Length - offset));
        }

        hash.GetHashAndReset();
    }

    private static void WriteOnly(string path, byte[] content, bool fsync)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 81920);
        for (var offset = 0; offset < content.Length; offset += 81920)
        {
            file.Write(content, offset, Math.Min(81920, content.Length - offset));
        }

        file.Flush(flushToDisk: fsync);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
