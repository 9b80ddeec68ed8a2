using System.Text.Json;
using ActorChain.Tests.Harness;
using Xunit.Abstractions;

namespace ActorChain.MultiNode.Tests;

/// <summary>The real executable, one process per node: what in-process nodes cannot show (kill -9).</summary>
public sealed class NodeProcessSpecs(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);
    private readonly NodeProcessCluster _cluster = new("p", output);

    private List<NodeProcess> Nodes => _cluster.Nodes;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _cluster.DisposeAsync().AsTask();

    [Fact]
    public async Task ThreeProcesses_FormACluster_AKilledOneIsSeenUnreachable_AndRejoinsAfterRestart()
    {
        Nodes.ForEach(n => n.Start());
        await AllUpAsync(Nodes, "the three processes never formed a cluster of three Up members");
        var (victim, survivors) = (Nodes[2], Nodes[..2]);

        victim.Kill();

        await Eventually.UntilAsync(
            async () => await SeenAsync(survivors, members => members.Any(m => NodeId(m) == victim.Spec.Name && !m.GetProperty("reachable").GetBoolean())),
            Wait,
            $"p1 and p2 did not both see the killed {victim.Spec.Name} unreachable");
        Assert.NotEqual(0, victim.ExitCode);

        victim.Start();

        await AllUpAsync(Nodes, $"the restarted {victim.Spec.Name} did not rejoin with every member Up and reachable");
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
