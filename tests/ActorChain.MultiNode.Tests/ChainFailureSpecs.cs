using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ActorChain.Tests.Harness;
using ActorChain.Node;
using ActorChain.Node.Configuration;
using Xunit.Abstractions;

namespace ActorChain.MultiNode.Tests;

/// <summary>What the node's HTTP API says when the chain cannot serve: no quorum, a stopped chain actor, another cluster's data.</summary>
public sealed class ChainFailureSpecs(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly MultiNodeCluster _cluster = new(output);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task WithoutAQuorumOfVoters_LinearizableReadsAndWritesAre503Problems_WhileLocalReadsServe()
    {
        await _cluster.StartAsync(3, overrides: _ => new Dictionary<string, string?>
        {
            ["actorchain:gateway:readtimeout"] = "1s",
            ["actorchain:gateway:writetimeout"] = "1s",
        });
        await _cluster.AwaitMembersUpAsync(["n1", "n2", "n3"]);
        using var http = new HttpClient { BaseAddress = _cluster["n1"].HttpAddress };
        await ChainHttp.PutAsync(http, "before", "quorum");

        await _cluster.StopAsync("n2");
        await _cluster.StopAsync("n3");

        await AssertProblemAsync(await http.GetAsync("/api/kv/before?consistency=linearizable"), HttpStatusCode.ServiceUnavailable, "No quorum");
        await AssertProblemAsync(await http.PutAsync("/api/kv/after", new ByteArrayContent([1])), HttpStatusCode.ServiceUnavailable, "Not committed in time");
        await AssertProblemAsync(await http.GetAsync("/health/ready"), HttpStatusCode.ServiceUnavailable, "Not ready");
        Assert.Equal("quorum", await ChainHttp.GetAsync(http, "before"));
    }

    [Fact]
    public async Task WhenTheChainActorStops_TheNodeStopsWithExitCode4()
    {
        await _cluster.StartAsync(1, seedCount: 1);
        var node = _cluster["n1"];

        node.System.Stop(node.Chain.Client.Actor);

        Assert.Equal(ActorChainNode.ExitCodeChainStopped, await node.Completion.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task ADataDirectoryOfAnotherGenesis_IsRefusedWithTheSettingsToCheck()
    {
        await _cluster.StartAsync(1, seedCount: 1);
        await _cluster.StopAsync("n1", leave: true);
        var spec = _cluster.Spec("n1");
        var other = spec with { Overrides = NodeSpec.WithVoters(["n1", "someone-else"]) };

        var e = await Assert.ThrowsAsync<NodeConfigurationException>(() => ActorChainNode.StartAsync(other.Load(), new NodeStartOptions { ConfigureLogging = _ => { } }));

        Assert.Contains("actorchain.chain.initial-voters", e.Message, StringComparison.Ordinal);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string title)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(title, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }
}
