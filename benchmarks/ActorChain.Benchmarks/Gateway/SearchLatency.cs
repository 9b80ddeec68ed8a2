using System.Diagnostics;

namespace ActorChain.Benchmarks.Gateway;

/// <summary>
/// p50/p99/max of each search kind over random queries, timed one by one (BenchmarkDotNet gives
/// means and medians of batches, not a tail):
/// <c>dotnet run -c Release --project benchmarks/ActorChain.Benchmarks -- gateway-search [files] [queries]</c>.
/// </summary>
internal static class SearchLatency
{
    public const string Mode = "gateway-search";

    public static int Run(string[] args)
    {
        var files = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
        var count = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
        var built = Stopwatch.StartNew();
        var ledger = PhotoArchive.Get(files).Ledger;
        GC.Collect();
        Console.WriteLine($"{files:N0} files applied in {built.Elapsed.TotalSeconds:F1} s; managed heap {GC.GetTotalMemory(false) / 1e6:N0} MB");
        Console.WriteLine($"load average: {LoadAverage()}");
        Console.WriteLine($"| search | queries | p50 | p99 | max | mean | mean matches |");
        Console.WriteLine($"|---|---:|---:|---:|---:|---:|---:|");
        foreach (var kind in Enum.GetValues<QueryKind>())
        {
            // Warm-up with other queries of the kind: JIT and tiering, not caching (there is none).
            foreach (var query in PhotoArchive.Queries(kind, 2_000, seed: 99))
            {
                ledger.Search(query);
            }

            var queries = PhotoArchive.Queries(kind, count, seed: 5);
            var times = new double[count];
            long matches = 0;
            for (var i = 0; i < count; i++)
            {
                var start = Stopwatch.GetTimestamp();
                var result = ledger.Search(queries[i]);
                times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                matches += result.Total;
            }

            Array.Sort(times);
            Console.WriteLine(
                $"| {kind} | {count:N0} | {Micros(At(times, 0.50))} | {Micros(At(times, 0.99))} | {Micros(times[^1])} | {Micros(times.Average())} | {matches / (double)count:N0} |");
        }

        Console.WriteLine($"load average: {LoadAverage()}");
        return 0;
    }

    private static double At(double[] sorted, double quantile) => sorted[Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length))];

    private static string Micros(double us) => us >= 1000 ? $"{us / 1000:F2} ms" : $"{us:F1} µs";

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
