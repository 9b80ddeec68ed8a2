using System.Text.Json;
using ActorChain.MultiNode.Tests.Harness;
using Xunit.Abstractions;

namespace ActorChain.MultiNode.Tests;

/// <summary>The real executable, one process per node: what in-process nodes cannot show (kill -9).</summary>
public sealed class NodeProcessSpecs(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);
    private readonly string _root = Directory.CreateTempSubdirectory("actorchain-processes-").FullName;
    private readonly List<NodeProcess> _nodes = [];

    public Task InitializeAsync()
    {
        var ports = NodeSpec.FreePorts(6);
        var seeds = new[] { $"127.0.0.1:{ports[0]}", $"127.0.0.1:{ports[2]}" };
        for (var i = 0; i < 3; i++)
        {
            var name = $"p{i + 1}";
            _nodes.Add(new NodeProcess(new NodeSpec(name, ports[2 * i], ports[(2 * i) + 1], Path.Combine(_root, name), seeds, NodeSpec.WithVoters(["p1", "p2", "p3"])), output));
        }

        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task ThreeProcesses_FormACluster_AKilledOneIsSeenUnreachable_AndRejoinsAfterRestart()
    {
        _nodes.ForEach(n => n.Start());
        await AllUpAsync(_nodes, "the three processes never formed a cluster of three Up members");
        var (victim, survivors) = (_nodes[2], _nodes[..2]);

        victim.Kill();

        await Eventually.UntilAsync(
            async () => await SeenAsync(survivors, members => members.Any(m => NodeId(m) == victim.Spec.Name && !m.GetProperty("reachable").GetBoolean())),
            Wait,
            $"p1 and p2 did not both see the killed {victim.Spec.Name} unreachable");
        Assert.NotEqual(0, victim.ExitCode);

        victim.Start();

        await AllUpAsync(_nodes, $"the restarted {victim.Spec.Name} did not rejoin with every member Up and reachable");
    }

    private static Task AllUpAsync(IReadOnlyList<NodeProcess> nodes, string failure) =>
        Eventually.UntilAsync(
            () => SeenAsync(nodes, members => members.Length == nodes.Count && members.All(m =>
                m.GetProperty("status").GetString() == "Up" && m.GetProperty("reachable").GetBoolean() && nodes.Any(n => n.Spec.Name == NodeId(m)))),
            Wait,
            failure);

    private static async Task<bool> SeenAsync(IEnumerable<NodeProcess> observers, Func<JsonElement[], bool> condition)
    {
        foreach (var observer in observers)
        {
            if (await observer.MembersAsync() is not { } members || !condition(members))
            {
                return false;
            }
        }

        return true;
    }

    private static string? NodeId(JsonElement member) => member.GetProperty("nodeId").GetString();
}
