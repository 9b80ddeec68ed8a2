using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ActorChain.Tests.Harness;
using Xunit.Abstractions;

namespace ActorChain.MultiNode.Tests;

/// <summary>Voter changes through the chain over HTTP: <c>/api/cluster/voters</c> (DESIGN §4).</summary>
public sealed class VoterRouteSpecs(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly MultiNodeCluster _cluster = new(output);
    private HttpClient _n1 = null!;

    public async Task InitializeAsync()
    {
        await _cluster.StartAsync(3);
        await _cluster.AwaitMembersUpAsync(["n1", "n2", "n3"]);
        _n1 = new HttpClient { BaseAddress = _cluster["n1"].HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
        await Eventually.UntilAsync(async () => (await _n1.GetAsync("/health/ready")).IsSuccessStatusCode, Wait, "n1 never became ready");
    }

    public async Task DisposeAsync()
    {
        _n1.Dispose();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task RemovingVoters_ShrinksTheQuorum_SoTheLastVoterAloneCommits()
    {
        Assert.Equal(["n1", "n2", "n3"], await VotersAsync());

        var removed = await _n1.DeleteAsync("/api/cluster/voters/n3");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        var body = await removed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("voter.remove", body.GetProperty("change").GetString());
        Assert.Equal(["n1", "n2"], body.GetProperty("voters").EnumerateArray().Select(v => v.GetString()!).Order().ToArray());
        Assert.Equal(HttpStatusCode.OK, (await _n1.DeleteAsync("/api/cluster/voters/n2")).StatusCode);
        Assert.Equal(["n1"], await VotersAsync());

        // With n2 and n3 gone, only a voter set of {n1} lets n1 decide anything.
        await _cluster.StopAsync("n2");
        await _cluster.StopAsync("n3");
        var written = await ChainHttp.PutAsync(_n1, "alone", "still-decides");
        Assert.True(written.Height > 0);

        var last = await _n1.DeleteAsync("/api/cluster/voters/n1");
        Assert.Equal(HttpStatusCode.Conflict, last.StatusCode);
        Assert.Contains("last voter", await last.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var again = await _n1.PostAsync("/api/cluster/voters/n1", content: null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already a voter", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var added = await _n1.PostAsync("/api/cluster/voters/n9", content: null);
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal(["n1", "n9"], await VotersAsync());
    }

    [Fact]
    public async Task AnOversizeNodeId_IsA400_AndChangesNothing()
    {
        var before = await ChainHttp.TryHeadAsync(_n1);

        var response = await _n1.PostAsync($"/api/cluster/voters/{new string('x', 100)}", content: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await ChainHttp.TryHeadAsync(_n1));
        Assert.Equal(["n1", "n2", "n3"], await VotersAsync());
        var badKey = await _n1.PostAsync("/api/cluster/voters/n4?publicKey=bm90LWEta2V5", content: null);
        Assert.Equal(HttpStatusCode.BadRequest, badKey.StatusCode);
        Assert.Contains("P-256", await badKey.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await ChainHttp.TryHeadAsync(_n1));
    }

    private async Task<string[]> VotersAsync()
    {
        var response = await _n1.GetAsync("/api/cluster/voters");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /api/cluster/voters: {(int)response.StatusCode} {body}");
        return [.. JsonSerializer.Deserialize<string[]>(body)!.Order()];
    }
}
