using System.Collections.Concurrent;
using System.Diagnostics;
using ActorChain.Cli.Http;

namespace ActorChain.Cli.Load;

internal sealed record LoadSettings(
    int Clients,
    int Readers,
    double Rate,
    TimeSpan Duration,
    int ValueSize,
    int FileEvery,
    int FileSize,
    int Keys,
    string KeyPrefix,
    TimeSpan SampleInterval,
    TimeSpan Settle);

internal sealed record OperationReport(string Operation, long Ok, long Errors, double PerSecond, double P50Ms, double P95Ms, double P99Ms, double MaxMs, IReadOnlyList<string> ErrorSamples);

internal sealed record LoadReport(
    string Target,
    IReadOnlyList<string> Endpoints,
    int Clients,
    int Readers,
    double Rate,
    int ValueSize,
    double ElapsedSeconds,
    IReadOnlyList<OperationReport> Operations,
    double WritesPerSecond,
    long HeadSamples,
    long HeadsEqualSamples,
    double HeadsEqualPercent,
    bool HeadsEqualAfterSettle);

/// <summary>Live counts while a run goes on.</summary>
internal readonly record struct LoadProgress(TimeSpan Elapsed, TimeSpan Duration, IReadOnlyList<(string Operation, long Ok, long Errors)> Operations, long HeadSamples, long HeadsEqual);

/// <summary>
/// Drives <see cref="LoadSettings.Clients"/> writers (kv puts, and every <see cref="LoadSettings.FileEvery"/>-th write a
/// file upload) at <see cref="LoadSettings.Rate"/> writes/s in total or as fast as they go, plus readers (kv gets and
/// searches), spread round-robin over the endpoints; samples every endpoint's head meanwhile. Latency is measured from
/// sending a request to its answer (a writer waits for its slot before the clock starts).
/// </summary>
internal sealed class LoadRunner(ILoadTarget target, LoadSettings settings)
{
    public const string Put = "kv.put";
    public const string Get = "kv.get";
    public const string Upload = "file.upload";
    public const string Search = "search";

    private readonly ConcurrentDictionary<string, Counter> _counters = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<long>> _latencies = new();
    private long _writes;
    private long _headSamples;
    private long _headsEqual;

    public async Task<LoadReport> RunAsync(Action<LoadProgress>? onProgress, TimeSpan progressInterval, CancellationToken ct)
    {
        var operations = target.SupportsFiles ? new[] { Put, Upload, Get, Search } : [Put, Get];
        foreach (var op in operations)
        {
            _counters[op] = new Counter();
            _latencies[op] = new ConcurrentQueue<long>();
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var clock = Stopwatch.StartNew();
        var workers = new List<Task>();
        for (var i = 0; i < settings.Clients; i++)
        {
            workers.Add(WriterAsync(i, clock, stop.Token));
        }

        for (var i = 0; i < settings.Readers; i++)
        {
            workers.Add(ReaderAsync(i, stop.Token));
        }

        var sampler = SamplerAsync(stop.Token);
        using var tick = new PeriodicTimer(progressInterval);
        stop.CancelAfter(settings.Duration);
        try
        {
            while (await tick.WaitForNextTickAsync(stop.Token))
            {
                onProgress?.Invoke(Progress(clock.Elapsed));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        await Task.WhenAll(workers);
        await sampler;
        var elapsed = clock.Elapsed;
        onProgress?.Invoke(Progress(elapsed));
        var settled = !ct.IsCancellationRequested && await SettleAsync(ct);
        return Report(elapsed, settled);
    }

    private LoadProgress Progress(TimeSpan elapsed) => new(
        elapsed,
        settings.Duration,
        [.. _counters.OrderBy(c => Order(c.Key)).Select(c => (c.Key, Interlocked.Read(ref c.Value.Ok), Interlocked.Read(ref c.Value.Errors)))],
        Interlocked.Read(ref _headSamples),
        Interlocked.Read(ref _headsEqual));

    private async Task WriterAsync(int client, Stopwatch clock, CancellationToken stop)
    {
        await Task.Yield();
        var endpoint = client % target.Endpoints.Count;
        var random = new Random(client * 7919);
        var value = new byte[settings.ValueSize];
        random.NextBytes(value);
        var interval = settings.Rate > 0 ? TimeSpan.FromSeconds(1 / settings.Rate) : TimeSpan.Zero;
        while (!stop.IsCancellationRequested)
        {
            var n = Interlocked.Increment(ref _writes);
            if (interval > TimeSpan.Zero && !await WaitForSlotAsync(clock, interval * (n - 1), stop))
            {
                return;
            }

            if (target.SupportsFiles && settings.FileEvery > 0 && n % settings.FileEvery == 0)
            {
                var image = TinyPng.Random(settings.FileSize, random);
                await TimeAsync(Upload, () => target.UploadAsync(endpoint, $"{settings.KeyPrefix.Replace('/', '-')}{n}.png", image, stop), stop);
            }
            else
            {
                BitConverter.TryWriteBytes(value, n);
                var key = $"{settings.KeyPrefix}{n % settings.Keys}";
                await TimeAsync(Put, () => target.PutAsync(endpoint, key, value, stop), stop);
            }
        }
    }

    private async Task ReaderAsync(int reader, CancellationToken stop)
    {
        await Task.Yield();
        var endpoint = reader % target.Endpoints.Count;
        var random = new Random((reader * 104729) + 1);
        for (var n = 0L; !stop.IsCancellationRequested; n++)
        {
            if (target.SupportsFiles && n % 4 == 3)
            {
                await TimeAsync(Search, () => target.SearchAsync(endpoint, stop), stop);
            }
            else
            {
                var key = $"{settings.KeyPrefix}{random.Next(settings.Keys)}";
                await TimeAsync(Get, () => target.GetAsync(endpoint, key, stop), stop);
            }
        }
    }

    private static async Task<bool> WaitForSlotAsync(Stopwatch clock, TimeSpan slot, CancellationToken stop)
    {
        var wait = slot - clock.Elapsed;
        if (wait <= TimeSpan.FromMilliseconds(1))
        {
            return true;
        }

        try
        {
            // Pacing the offered load is this tool's job; it is not a test waiting for something.
            await Task.Delay(wait, stop);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task TimeAsync(string operation, Func<Task> call, CancellationToken stop)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await call();
            _latencies[operation].Enqueue(Stopwatch.GetTimestamp() - started);
            Interlocked.Increment(ref _counters[operation].Ok);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Cut off by the end of the run: neither a success nor an error.
        }
        catch (Exception e) when (e is NodeApiException or NodeUnreachableException or FormatException or System.Text.Json.JsonException or HttpRequestException)
        {
            var counter = _counters[operation];
            Interlocked.Increment(ref counter.Errors);
            if (counter.Samples.Count < 5 && !counter.Samples.Contains(e.Message))
            {
                counter.Samples.Enqueue(e.Message);
            }
        }
    }

    private async Task SamplerAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(settings.SampleInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var equal = await HeadsEqualAsync(stop);
                if (equal is { } e)
                {
                    Interlocked.Increment(ref _headSamples);
                    if (e)
                    {
                        Interlocked.Increment(ref _headsEqual);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Whether every endpoint answers the same head; null when one did not answer (not a sample).</summary>
    private async Task<bool?> HeadsEqualAsync(CancellationToken ct)
    {
        try
        {
            var heads = await Task.WhenAll(Enumerable.Range(0, target.Endpoints.Count).Select(i => target.HeadAsync(i, ct)));
            return heads.Distinct(StringComparer.Ordinal).Count() == 1;
        }
        catch (Exception e) when (e is NodeApiException or NodeUnreachableException or FormatException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>After the load stops, whether the heads come together within <see cref="LoadSettings.Settle"/>.</summary>
    private async Task<bool> SettleAsync(CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(settings.Settle.TotalSeconds * Stopwatch.Frequency);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        do
        {
            if (await HeadsEqualAsync(ct) == true)
            {
                return true;
            }
        }
        while (Stopwatch.GetTimestamp() < deadline && await timer.WaitForNextTickAsync(ct));

        return false;
    }

    private LoadReport Report(TimeSpan elapsed, bool settled)
    {
        var seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
        var operations = _counters.OrderBy(c => Order(c.Key)).Select(c =>
        {
            var sorted = _latencies[c.Key].Select(t => t * 1000.0 / Stopwatch.Frequency).ToArray();
            Array.Sort(sorted);
            return new OperationReport(
                c.Key,
                c.Value.Ok,
                c.Value.Errors,
                c.Value.Ok / seconds,
                Percentiles.Of(sorted, 50),
                Percentiles.Of(sorted, 95),
                Percentiles.Of(sorted, 99),
                sorted.Length == 0 ? 0 : sorted[^1],
                [.. c.Value.Samples]);
        }).ToList();
        var writes = operations.Where(o => o.Operation is Put or Upload).Sum(o => o.Ok);
        var samples = Interlocked.Read(ref _headSamples);
        var equal = Interlocked.Read(ref _headsEqual);
        return new LoadReport(
            target is EtcdTarget ? "etcd" : "actorchain",
            [.. target.Endpoints.Select(e => e.ToString())],
            settings.Clients,
            settings.Readers,
            settings.Rate,
            settings.ValueSize,
            elapsed.TotalSeconds,
            operations,
            writes / seconds,
            samples,
            equal,
            samples == 0 ? 0 : 100.0 * equal / samples,
            settled);
    }

    private static int Order(string operation) => operation switch { Put => 0, Upload => 1, Get => 2, _ => 3 };

    private sealed class Counter
    {
        public readonly ConcurrentQueue<string> Samples = new();
        public long Ok;
        public long Errors;
    }
}

internal static class Percentiles
{
    /// <summary>Nearest-rank percentile of an ascending array; 0 for an empty one.</summary>
    public static double Of(IReadOnlyList<double> sorted, double percentile)
    {
        if (sorted.Count == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
