using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ActorChain.Tests.Harness;
using Xunit.Abstractions;

namespace ActorChain.MultiNode.Tests;

/// <summary>The node's cluster endpoints over HTTP (DESIGN §8), on a two-node cluster.</summary>
public sealed class NodeHttpSpecs(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly MultiNodeCluster _cluster = new(output);
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        // A leave timeout beyond every wait here: a node must stop because it left, not because it gave up waiting.
        await _cluster.StartAsync(2, seedCount: 1, _ => new Dictionary<string, string?> { ["actorchain:node:leavetimeout"] = "60s" });
        await _cluster.AwaitMembersUpAsync(["n1", "n2"]);
        _http = new HttpClient { BaseAddress = _cluster["n1"].HttpAddress };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Members_IsAJsonArrayOfEveryMember_WithTheDesignFields()
    {
        var response = await _http.GetAsync("/api/cluster/members");

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var members = (await response.Content.ReadFromJsonAsync<JsonElement[]>())!;
        Assert.Equal(["n1", "n2"], members.Select(m => m.GetProperty("nodeId").GetString()).Order());
        foreach (var member in members)
        {
            Assert.Equal(
                ["address", "headHash", "height", "nodeId", "reachable", "status", "voter"],
                member.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal("Up", member.GetProperty("status").GetString());
            Assert.True(member.GetProperty("reachable").GetBoolean());
            Assert.True(member.GetProperty("voter").GetBoolean());
        }

        var self = members.Single(m => m.GetProperty("nodeId").GetString() == "n1");
        Assert.Equal(_cluster["n1"].Chain.Service.Head.Height, self.GetProperty("height").GetInt64());
        Assert.Equal(_cluster["n1"].Chain.Service.Head.Hash.ToString(), self.GetProperty("headHash").GetString());

        // A peer's head is what it last gossiped: unknown (-1, null) until then, its real head after.
        var n2Head = _cluster["n2"].Chain.Service.Head;
        await Eventually.UntilAsync(
            async () => (await _http.GetFromJsonAsync<JsonElement[]>("/api/cluster/members"))!.Single(m => m.GetProperty("nodeId").GetString() == "n2") is var n2 &&
                n2.GetProperty("height").GetInt64() == n2Head.Height && n2.GetProperty("headHash").GetString() == n2Head.Hash.ToString(),
            TimeSpan.FromSeconds(10),
            "n1 never showed n2's head");

        Assert.Contains(members, m => m.GetProperty("address").GetString() == _cluster.Spec("n2").RemoteAddress);
    }

    [Fact]
    public async Task DownOfAnUnknownNode_Is404Problem()
    {
        var response = await _http.PostAsync("/api/cluster/down/no-such-node", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Contains("no-such-node", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRoute_IsAProblemToo()
    {
        var response = await _http.GetAsync("/api/cluster/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task DownOfAMember_Is202_AndTheDownedNodeStopsWithTheRemovedExitCode()
    {
        var downed = _cluster["n2"];

        var response = await _http.PostAsync("/api/cluster/down/n2", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(Node.ActorChainNode.ExitCodeRemoved, await downed.Completion.WaitAsync(MultiNodeCluster.DefaultWait));
        await _cluster.AwaitMembersUpAsync(["n1"]);
    }

    [Fact]
    public async Task Leave_Is202_AndTheNodeIsRemovedAndStopsWithExitCodeZero()
    {
        var leaving = _cluster["n2"];
        using var http = new HttpClient { BaseAddress = leaving.HttpAddress };

        var response = await http.PostAsync("/api/cluster/leave", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(0, await leaving.Completion.WaitAsync(MultiNodeCluster.DefaultWait));
        await _cluster.AwaitMembersUpAsync(["n1"]);
    }

    [Fact]
    public async Task Ready_Is503Problem_UntilTheNodeIsUp()
    {
        var late = _cluster.Define("late", [_cluster.Spec("n1").RemoteAddress]);

        // The join cannot complete while n1 drops everything from it, so the node stays not-Up until healed.
        _cluster["n1"].Remoting.Transport.Faults.Set("late", Remote.Faults.FaultDirection.Both, Remote.Faults.LinkFault.Blackhole);
        var node = await _cluster.StartNodeAsync(late.Name);
        using var http = new HttpClient { BaseAddress = node.HttpAddress };

        var notReady = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Equal("application/problem+json", notReady.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);

        _cluster["n1"].Remoting.Transport.Faults.Heal("late");

        await Eventually.UntilAsync(async () => (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20), "late never became ready");
    }
}
