using System.Collections.Concurrent;
using System.Diagnostics;
using ActorChain.Tests.Harness;

namespace ActorChain.MultiNode.Tests.Chaos;

/// <summary>
/// Faults from a seeded schedule: kill -9 and restart (one node, or two together), a minority
/// partitioned away (blackhole both ways, set on both sides of every cut link), a kill during a
/// partition, delayed links, lossy links. At most
/// ⌊(N−1)/2⌋ nodes are down or cut off at once: a node killed and not yet ready again counts as down,
/// so a partition never joins it to take the majority. The pauses between steps are the workload.
/// </summary>
internal sealed class Nemesis(ChaosCluster cluster, int seed, Action<string> log)
{
    private readonly Random _random = new(seed);
    private readonly HashSet<string> _notReady = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<HeadSample> _samples = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public Dictionary<string, int> Faults { get; } = new(StringComparer.Ordinal);

    public List<string> Steps { get; } = [];

    public IReadOnlyList<HeadSample> Samples => [.. _samples];

    private int MaxDown => (cluster.Nodes.Count - 1) / 2;

    public async Task RunAsync(TimeSpan duration)
    {
        var until = _clock.Elapsed + duration;
        var kinds = new Queue<int>();
        while (_clock.Elapsed < until)
        {
            await SampleHeadsAsync();
            await RefreshNotReadyAsync();
            if (kinds.Count == 0)
            {
                // Every kind once per round, in a random order: even a short soak sees each of them.
                foreach (var kind in Enumerable.Range(0, 6).OrderBy(_ => _random.Next()))
                {
                    kinds.Enqueue(kind);
                }
            }

            // Some holds outlast the nodes' 4 s write-timeout, so clients also see unknown outcomes.
            var hold = TimeSpan.FromMilliseconds(_random.Next(1000, 5500));
            switch (kinds.Dequeue())
            {
                case 0:
                    await KillAndRestartAsync(hold);
                    break;
                case 1:
                    await PartitionAsync(hold);
                    break;
                case 2:
                    await KillTwoAsync(hold);
                    break;
                case 3:
                    await PartitionWhileKilledAsync(hold);
                    break;
                case 4:
                    await LinkFaultAsync("delay", hold, () => new { fault = "delay", delayMs = _random.Next(20, 150), jitterMs = _random.Next(0, 50) });
                    break;
                default:
                    await LinkFaultAsync("drop", hold, () => new { fault = "drop", probability = Math.Round(0.05 + (_random.NextDouble() * 0.25), 2) });
                    break;
            }

            await Task.Delay(_random.Next(200, 700));
        }
    }

    /// <summary>Restarts every killed node and heals every link; the cluster is whole again once they are ready.</summary>
    public async Task HealAsync(TimeSpan max)
    {
        foreach (var node in cluster.Nodes.Where(n => n.HasExited))
        {
            Step($"restart {node.Spec.Name} (heal)");
            node.Start();
        }

        await cluster.HealAllUntilDoneAsync(max);
        Step("heal all links");
    }

    private async Task KillAndRestartAsync(TimeSpan hold)
    {
        var candidates = Up();
        if (_notReady.Count >= MaxDown || candidates.Count == 0)
        {
            return;
        }

        var victim = candidates[_random.Next(candidates.Count)];
        Count("kill -9");
        Step($"kill -9 {victim.Spec.Name} for {hold.TotalSeconds:0.0}s");
        victim.Kill();
        _notReady.Add(victim.Spec.Name);
        await Task.Delay(hold);
        Step($"restart {victim.Spec.Name}");
        victim.Start();
    }

    // As many nodes as the budget allows killed together, and restarted together.
    private async Task KillTwoAsync(TimeSpan hold)
    {
        var candidates = Up();
        var room = MaxDown - _notReady.Count;
        if (room < 2 || candidates.Count < 2)
        {
            return;
        }

        var victims = candidates.OrderBy(_ => _random.Next()).Take(2).ToList();
        Count("kill -9 two");
        Step($"kill -9 {string.Join(",", victims.Select(v => v.Spec.Name))} for {hold.TotalSeconds:0.0}s");
        foreach (var victim in victims)
        {
            victim.Kill();
            _notReady.Add(victim.Spec.Name);
        }

        await Task.Delay(hold);
        Step($"restart {string.Join(",", victims.Select(v => v.Spec.Name))}");
        victims.ForEach(v => v.Start());
    }

    // One node killed while another is cut off: the three left must carry on, and the restarted
    // node must catch up from them while the partitioned one is still away.
    private async Task PartitionWhileKilledAsync(TimeSpan hold)
    {
        var candidates = Up();
        if (MaxDown - _notReady.Count < 2 || candidates.Count < 2)
        {
            return;
        }

        var victim = candidates[_random.Next(candidates.Count)];
        Count("kill -9 during partition");
        Step($"kill -9 {victim.Spec.Name} for {hold.TotalSeconds:0.0}s");
        victim.Kill();
        _notReady.Add(victim.Spec.Name);
        await PartitionAsync(hold);
        Step($"restart {victim.Spec.Name}");
        victim.Start();
    }

    private async Task PartitionAsync(TimeSpan hold)
    {
        var room = MaxDown - _notReady.Count;
        var up = Up();
        if (room <= 0 || up.Count < 2)
        {
            return;
        }

        var minority = up.OrderBy(_ => _random.Next()).Take(_random.Next(1, room + 1)).ToList();
        var rest = cluster.Nodes.Except(minority).ToList();
        Count("partition");
        Step($"partition {string.Join(",", minority.Select(n => n.Spec.Name))} | {string.Join(",", rest.Select(n => n.Spec.Name))} for {hold.TotalSeconds:0.0}s");
        var cuts = new List<Task<bool>>();
        foreach (var a in minority)
        {
            foreach (var b in rest.Where(n => !n.HasExited))
            {
                cuts.Add(ChaosCluster.FaultAsync(a, b.Spec.Name, new { fault = "blackhole" }));
                cuts.Add(ChaosCluster.FaultAsync(b, a.Spec.Name, new { fault = "blackhole" }));
            }
        }

        await Task.WhenAll(cuts);
        await Task.Delay(hold);
        await HealLinksAsync();
    }

    private async Task LinkFaultAsync(string kind, TimeSpan hold, Func<object> fault)
    {
        var up = Up();
        var links = up.SelectMany(a => up.Where(b => string.CompareOrdinal(a.Spec.Name, b.Spec.Name) < 0).Select(b => (a, b)))
            .OrderBy(_ => _random.Next())
            .Take(_random.Next(2, 6))
            .ToList();
        if (links.Count == 0)
        {
            return;
        }

        Count(kind);
        var faults = links.Select(l => (l.a, l.b, Body: fault())).ToList();
        Step($"{kind} {string.Join(" ", faults.Select(f => $"{f.a.Spec.Name}-{f.b.Spec.Name}"))} ({System.Text.Json.JsonSerializer.Serialize(faults[0].Body)}…) for {hold.TotalSeconds:0.0}s");
        await Task.WhenAll(faults.SelectMany(f => (Task<bool>[])[ChaosCluster.FaultAsync(f.a, f.b.Spec.Name, f.Body), ChaosCluster.FaultAsync(f.b, f.a.Spec.Name, f.Body)]));
        await Task.Delay(hold);
        await HealLinksAsync();
    }

    private async Task HealLinksAsync()
    {
        var missed = await cluster.HealAllAsync();
        Step(missed.Count == 0 ? "heal" : $"heal (not taken by {string.Join(",", missed)}; retried next step)");
        if (missed.Count > 0)
        {
            // A node that kept a cut link would stay partitioned through the next fault as well.
            foreach (var name in missed)
            {
                _notReady.Add(name);
            }
        }
    }

    // Up = running and ready; a node not ready yet is treated as down for the minority budget.
    private List<NodeProcess> Up() => [.. cluster.Nodes.Where(n => !n.HasExited && !_notReady.Contains(n.Spec.Name))];

    private async Task RefreshNotReadyAsync()
    {
        foreach (var name in _notReady.ToList())
        {
            var node = cluster[name];
            if (!node.HasExited && await ChaosCluster.IsReadyAsync(node) && (await cluster.HealAllAsync()).Count == 0)
            {
                _notReady.Remove(name);
            }
        }
    }

    private async Task SampleHeadsAsync()
    {
        await Task.WhenAll(cluster.Nodes.Where(n => !n.HasExited).Select(async node =>
        {
            if (await ChainHttp.TryHeadAsync(node.Http) is { } head)
            {
                _samples.Add(new HeadSample(node.Spec.Name, head.Height, head.Hash));
            }
        }));
    }

    private void Count(string kind) => Faults[kind] = Faults.GetValueOrDefault(kind) + 1;

    private void Step(string what)
    {
        var line = $"{_clock.Elapsed.TotalSeconds,6:0.0}s nemesis: {what}";
        Steps.Add(line);
        log(line);
    }
}
