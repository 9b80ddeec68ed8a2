using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ActorChain.Tests.Harness;

namespace ActorChain.MultiNode.Tests.Chaos;

/// <summary>How a soak runs: its length, its seed, and the workload's shape.</summary>
internal sealed record ChaosSoakOptions(TimeSpan Duration, int Seed, int Nodes = 5, int ClientsPerNode = 2, int Keys = 5, int Tasks = 4)
{
    /// <summary>
    /// ACTORCHAIN_CHAOS=long (set by <c>./test.sh --chaos</c>) runs for ACTORCHAIN_CHAOS_SECONDS
    /// (default 600); otherwise <paramref name="shortDuration"/>. ACTORCHAIN_CHAOS_SEED replays a run.
    /// </summary>
    public static ChaosSoakOptions FromEnvironment(TimeSpan shortDuration)
    {
        var duration = shortDuration;
        if (string.Equals(Environment.GetEnvironmentVariable("ACTORCHAIN_CHAOS"), "long", StringComparison.OrdinalIgnoreCase))
        {
            duration = TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("ACTORCHAIN_CHAOS_SECONDS"), out var seconds) && seconds > 0 ? seconds : 600);
        }

        var seed = int.TryParse(Environment.GetEnvironmentVariable("ACTORCHAIN_CHAOS_SEED"), out var fixedSeed) ? fixedSeed : Random.Shared.Next();
        return new ChaosSoakOptions(duration, seed);
    }
}

/// <summary>What a soak saw and concluded.</summary>
internal sealed record ChaosSoakReport(ChaosSoakOptions Options, IReadOnlyList<Operation> History, IReadOnlyDictionary<string, int> Faults, IReadOnlyList<string> Steps, IReadOnlyList<Violation> Violations, string Notes)
{
    public string SummaryLine
    {
        get
        {
            string Ops(OpKind kind) => string.Join("/", new[] { Outcome.Ok, Outcome.Failed, Outcome.Unknown }.Select(o => History.Count(h => h.Kind == kind && h.Outcome == o)));
            return $"chaos soak seed={Options.Seed} {Options.Nodes} nodes {Options.Duration.TotalSeconds:0}s of faults: " +
                $"ops {History.Count} (ok/failed/unknown) put {Ops(OpKind.Put)}, read {Ops(OpKind.Read)}, local-read {Ops(OpKind.LocalRead)}, claim {Ops(OpKind.Claim)}; " +
                $"faults {(Faults.Count == 0 ? "none" : string.Join(", ", Faults.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} {f.Value}")))}; " +
                $"violations {Violations.Count}";
        }
    }

    public string Summary()
    {
        var text = new StringBuilder(SummaryLine).AppendLine();
        if (Notes.Length > 0)
        {
            text.AppendLine(Notes);
        }

        foreach (var group in Violations.GroupBy(v => v.Check))
        {
            text.AppendLine($"  {group.Key}: {group.Count()}");
            foreach (var violation in group.Take(5))
            {
                text.AppendLine($"    {violation}");
            }
        }

        return text.ToString();
    }
}

/// <summary>
/// The soak: start the cluster, run clients at every node while the nemesis breaks things, heal,
/// wait for one head, read every key everywhere once more, gather every node's chain and task
/// answers, and hand it all to <see cref="ChaosChecker"/>.
/// </summary>
internal sealed class ChaosSoak(ChaosCluster cluster, ChaosSoakOptions options, Action<string> log)
{
    private static readonly TimeSpan ConvergeWait = TimeSpan.FromSeconds(60);

    public async Task<ChaosSoakReport> RunAsync()
    {
        var nodes = cluster.Nodes;
        nodes.ForEach(n => n.Start());
        await cluster.AwaitReadyAsync(nodes, ConvergeWait);
        log($"{nodes.Count} nodes ready; seed {options.Seed}, {options.Duration.TotalSeconds:0}s of faults");

        var history = new HistoryRecorder();
        var uris = nodes.Select(n => n.Http.BaseAddress!).ToList();
        var names = nodes.Select(n => n.Spec.Name).ToList();
        var started = Stopwatch.GetTimestamp();
        var clients = Enumerable.Range(0, nodes.Count * options.ClientsPerNode)
            .Select(i => new ChaosClient(i, uris, names, i % nodes.Count, history, options.Seed + i + 1, options.Keys, options.Tasks, started))
            .ToList();
        try
        {
            var nemesis = new Nemesis(cluster, options.Seed, log);
            using var stop = new CancellationTokenSource();
            var workload = clients.Select(c => Task.Run(() => c.RunAsync(stop.Token))).ToList();
            await nemesis.RunAsync(options.Duration);
            await stop.CancelAsync();
            await Task.WhenAll(workload);
            await nemesis.HealAsync(ConvergeWait);
            await cluster.AwaitReadyAsync(nodes, ConvergeWait);

            var notes = new StringBuilder();
            var top = history.Snapshot().Where(o => o.Outcome == Outcome.Ok && o.Height is not null).Select(o => o.Height!.Value).DefaultIfEmpty(0).Max();
            var heads = await AwaitQuiescentAsync(top, notes);

            // One linearizable read of every key at every node after the heal: a write lost on some node shows here.
            var finalReader = clients[0];
            for (var at = 0; at < nodes.Count; at++)
            {
                for (var key = 0; key < options.Keys; key++)
                {
                    await finalReader.ReadAsync(at, ChaosClient.Key(key), linearizable: true);
                }
            }

            var ops = history.Snapshot();
            var tasks = ops.Where(o => o.Kind == OpKind.Claim).Select(o => o.Key).Distinct().ToList();
            var views = new List<NodeFinalView>();
            foreach (var node in nodes)
            {
                var (height, hash) = heads[node.Spec.Name];
                views.Add(new NodeFinalView(node.Spec.Name, height, hash, await BlocksAsync(node.Http, height), await TasksAsync(node.Http, tasks)));
            }

            var violations = ChaosChecker.Check(ops, views, nemesis.Samples);
            return new ChaosSoakReport(options, ops, nemesis.Faults, nemesis.Steps, violations, notes.ToString().TrimEnd());
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    // Equal heads are not enough once clients stop: unknown writes still sit in mempools and commit
    // later. Wait until every head is equal and no mempool holds anything, so the chains and task
    // answers gathered next describe one state.
    private async Task<Dictionary<string, (long Height, string Hash)>> AwaitQuiescentAsync(long atLeast, StringBuilder notes)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(ChaosCluster.Dilated(ConvergeWait).TotalSeconds * Stopwatch.Frequency);
        var heads = new Dictionary<string, (long Height, string Hash)>(StringComparer.Ordinal);
        var pending = new Dictionary<string, double>(StringComparer.Ordinal);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (true)
        {
            foreach (var node in cluster.Nodes)
            {
                heads[node.Spec.Name] = await ChainHttp.TryHeadAsync(node.Http) ?? (-1, "no answer");
                pending[node.Spec.Name] = await MempoolEntriesAsync(node.Http);
            }

            var equal = heads.Values.Distinct().Count() == 1 && heads.Values.First().Height >= atLeast;
            if (equal && pending.Values.All(p => p == 0))
            {
                return heads;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                notes.Append($"  after {ConvergeWait.TotalSeconds:0}s: heads {string.Join(", ", heads.Select(h => $"{h.Key} {h.Value.Height}/{h.Value.Hash[..Math.Min(8, h.Value.Hash.Length)]}"))}; " +
                    $"mempool entries {string.Join(", ", pending.Select(p => $"{p.Key} {p.Value}"))} (acknowledged up to height {atLeast})");
                return heads;
            }

            await timer.WaitForNextTickAsync();
        }
    }

    private static async Task<double> MempoolEntriesAsync(HttpClient http)
    {
        try
        {
            var text = await http.GetStringAsync("/metrics");
            var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("actorchain_mempool_entries ", StringComparison.Ordinal));
            return line is null ? 0 : double.Parse(line["actorchain_mempool_entries ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or FormatException)
        {
            return double.NaN;
        }
    }

    private static async Task<List<ChainBlockView>> BlocksAsync(HttpClient http, long upTo)
    {
        var blocks = new List<ChainBlockView>();
        for (long from = 0; from <= upTo; from += 100)
        {
            var count = (int)Math.Min(100, upTo - from + 1);
            var page = (await http.GetFromJsonAsync<JsonElement[]>($"/api/chain/blocks?from={from}&count={count}"))!;
            blocks.AddRange(page.Select(b => new ChainBlockView(
                b.GetProperty("height").GetInt64(),
                b.GetProperty("hash").GetString()!,
                b.GetProperty("prevHash").GetString()!,
                [.. b.GetProperty("entries").EnumerateArray().Select(e => new ChainEntryView(
                    e.GetProperty("id").GetString()!,
                    e.GetProperty("kind").GetString()!,
                    e.TryGetProperty("key", out var key) ? key.GetString() : null))])));
            if (page.Length < count)
            {
                break;
            }
        }

        return blocks;
    }

    private static async Task<Dictionary<string, TaskWinnerView?>> TasksAsync(HttpClient http, IReadOnlyList<string> tasks)
    {
        var views = new Dictionary<string, TaskWinnerView?>(StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            using var response = await http.GetAsync($"/api/tasks/{task}");
            if (response.IsSuccessStatusCode)
            {
                var view = await response.Content.ReadFromJsonAsync<JsonElement>();
                views[task] = new TaskWinnerView(view.GetProperty("winner").GetString()!, view.GetProperty("height").GetInt64());
            }
            else
            {
                views[task] = null;
            }
        }

        return views;
    }
}
