using System.Collections.Concurrent;
using System.Net.Http.Json;
using ActorChain.TestKit;
using ActorChain.Tests.Harness;
using Xunit.Abstractions;

namespace ActorChain.MultiNode.Tests.Chaos;

/// <summary>
/// N real node processes (<c>x1..xN</c>), all genesis voters and all seeds (a restarted node then
/// always finds a peer to join through), with the HTTP fault injector on and writes that give up
/// after a few seconds, so clients see unknown outcomes while a quorum is out of reach.
/// </summary>
internal sealed class ChaosCluster : IAsyncDisposable
{
    private readonly string _root;

    public ChaosCluster(int size, ITestOutputHelper output)
    {
        _root = Directory.CreateTempSubdirectory("actorchain-chaos-").FullName;
        var ports = NodeSpec.FreePorts(2 * size);
        var names = Enumerable.Range(1, size).Select(i => $"x{i}").ToList();
        var seeds = names.Select((_, i) => $"127.0.0.1:{ports[2 * i]}").ToList();
        var settings = NodeSpec.WithVoters(names, new Dictionary<string, string?>
        {
            ["actorchain:admin:faultinjection"] = "true",
            ["actorchain:gateway:writetimeout"] = "4s",
            ["actorchain:gateway:readtimeout"] = "3s",

            // Snapshots every 50 blocks and only 16 blocks in memory: kills land during snapshot saves,
            // restarts start from a snapshot, and catch-up reads most blocks back from the journal.
            ["actorchain:persistence:snapshotinterval"] = "50",
            ["actorchain:persistence:blocksinmemory"] = "16",
        });
        Nodes = [.. names.Select((name, i) => new NodeProcess(new NodeSpec(name, ports[2 * i], ports[(2 * i) + 1], Path.Combine(_root, name), seeds, settings), output))];
    }

    public List<NodeProcess> Nodes { get; }

    public NodeProcess this[string name] => Nodes.Single(n => n.Spec.Name == name);

    public static async Task<bool> IsReadyAsync(NodeProcess node)
    {
        try
        {
            using var response = await node.Http.GetAsync("/health/ready");
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public async Task AwaitReadyAsync(IEnumerable<NodeProcess> nodes, TimeSpan max)
    {
        foreach (var node in nodes)
        {
            await Eventually.UntilAsync(() => IsReadyAsync(node), max, $"{node.Spec.Name} never became ready (Up, caught up to a quorum's read index)");
        }
    }

    /// <summary>PUT /api/admin/faults/{to} on <paramref name="from"/>; false when the node did not take it (it is down, or busy past the client timeout).</summary>
    public static async Task<bool> FaultAsync(NodeProcess from, string to, object fault)
    {
        try
        {
            using var response = await from.Http.PutAsJsonAsync($"/api/admin/faults/{to}", fault);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>DELETE /api/admin/faults on every running node; the nodes that did not answer.</summary>
    public async Task<List<string>> HealAllAsync()
    {
        var missed = new ConcurrentBag<string>();
        await Task.WhenAll(Nodes.Where(n => !n.HasExited).Select(async node =>
        {
            try
            {
                using var response = await node.Http.DeleteAsync("/api/admin/faults");
                if (!response.IsSuccessStatusCode)
                {
                    missed.Add(node.Spec.Name);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                missed.Add(node.Spec.Name);
            }
        }));
        return [.. missed];
    }

    /// <summary>Heals until every running node took the heal, within <paramref name="max"/>.</summary>
    public async Task HealAllUntilDoneAsync(TimeSpan max)
    {
        var missed = new List<string>();
        await Eventually.UntilAsync(async () => (missed = await HealAllAsync()).Count == 0, max, $"{string.Join(", ", missed)} never took DELETE /api/admin/faults");
    }

    public ValueTask DisposeAsync() => DisposeAsync(keepData: false);

    public async ValueTask DisposeAsync(bool keepData)
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }

        if (keepData)
        {
            return;
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static TimeSpan Dilated(TimeSpan duration) => TestTime.Dilated(duration);
}
