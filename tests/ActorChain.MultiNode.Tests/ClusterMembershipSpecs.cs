using ActorChain.Tests.Harness;
using ActorChain.Node;
using Xunit.Abstractions;

namespace ActorChain.MultiNode.Tests;

/// <summary>Membership over real TCP between in-process nodes, with shortened timers.</summary>
public sealed class ClusterMembershipSpecs(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly MultiNodeCluster _cluster = new(output);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task FiveNodes_FromTwoSeeds_FormOneCluster()
    {
        await _cluster.StartAsync(5, seedCount: 2);

        await _cluster.AwaitMembersUpAsync(["n1", "n2", "n3", "n4", "n5"]);
    }

    [Fact]
    public async Task LeavingNode_IsRemovedEverywhere_AndStopsWithExitCodeZero()
    {
        // A leave timeout beyond the wait below: the node must stop because it left, not because it gave up waiting.
        await _cluster.StartAsync(3, overrides: _ => new Dictionary<string, string?> { ["actorchain:node:leavetimeout"] = "60s" });
        await _cluster.AwaitMembersUpAsync(["n1", "n2", "n3"]);
        var leaving = _cluster["n3"];

        leaving.RequestLeave();

        await _cluster.AwaitMembersUpAsync(["n1", "n2"]);
        Assert.Equal(0, await leaving.Completion.WaitAsync(MultiNodeCluster.DefaultWait));
    }

    [Fact]
    public async Task BlackholedNode_BecomesUnreachable_AndReachableAfterHeal()
    {
        await _cluster.StartAsync(3);
        await _cluster.AwaitMembersUpAsync(["n1", "n2", "n3"]);

        _cluster.Partition(["n3"], ["n1", "n2"]);

        // Heartbeats every 150ms with a 1s acceptable pause: unreachable within a few seconds.
        await _cluster.AwaitAllAsync(n => !Reachable(n, "n3"), "n3 is unreachable", on: ["n1", "n2"], max: TimeSpan.FromSeconds(8));

        _cluster.Heal("n3", "n1");
        _cluster.Heal("n3", "n2");

        await _cluster.AwaitMembersUpAsync(["n1", "n2", "n3"]);
    }

    [Fact]
    public async Task KeepMajority_DownsTheMinorityOfAThreeTwoPartition_AndNeverTheMajority()
    {
        await _cluster.StartAsync(5, overrides: _ => new Dictionary<string, string?>
        {
            ["actorchain:cluster:downing:keepmajority:enabled"] = "on",
            ["actorchain:cluster:downing:keepmajority:stableafter"] = "1s",
        });
        await _cluster.AwaitMembersUpAsync(["n1", "n2", "n3", "n4", "n5"]);
        var majority = new[] { "n1", "n2", "n3" };
        var minority = new[] { "n4", "n5" };

        _cluster.Partition(majority, minority);

        var minorityExits = minority.Select(n => _cluster[n].Completion).ToList();
        await _cluster.AwaitMembersUpAsync(majority, max: TimeSpan.FromSeconds(30));
        var exitCodes = await Task.WhenAll(minorityExits).WaitAsync(MultiNodeCluster.DefaultWait);
        Assert.All(exitCodes, code => Assert.Equal(ActorChainNode.ExitCodeRemoved, code));
        Assert.All(majority, n => Assert.False(_cluster[n].Completion.IsCompleted, $"{n} of the majority stopped"));
        Assert.All(majority, n => Assert.False(_cluster[n].Cluster.IsTerminated, $"{n} of the majority was downed"));
    }

    [Fact]
    public async Task RestartedNode_OnTheSamePortAndData_RejoinsAsANewIncarnation()
    {
        await _cluster.StartAsync(3);
        await _cluster.AwaitMembersUpAsync(["n1", "n2", "n3"]);
        var firstIncarnation = _cluster["n3"].Cluster.SelfUniqueAddress;

        await _cluster.StopAsync("n3");
        await _cluster.AwaitAllAsync(n => !Reachable(n, "n3"), "the stopped n3 is unreachable", on: ["n1", "n2"]);
        var restarted = await _cluster.RestartAsync("n3");

        await _cluster.AwaitMembersUpAsync(["n1", "n2", "n3"]);
        Assert.NotEqual(firstIncarnation, restarted.Cluster.SelfUniqueAddress);
        Assert.Equal(firstIncarnation.Address, restarted.Cluster.SelfAddress);
    }

    private static bool Reachable(ActorChainNode observer, string nodeId) =>
        observer.Members().Any(m => m.NodeId == nodeId && m.Reachable);
}
