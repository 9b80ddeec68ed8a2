using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ActorChain.Tests.Harness;
using Xunit.Abstractions;

namespace ActorChain.MultiNode.Tests;

/// <summary>
/// The HTTP fault-injection routes for manual experiments: absent unless
/// <c>actorchain.admin.fault-injection</c> is on, and when on they really cut and heal links.
/// </summary>
public sealed class AdminFaultRouteSpecs(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly MultiNodeCluster _cluster = new(output);

    public async Task InitializeAsync()
    {
        // n1 has the routes, n2 keeps the default (off).
        await _cluster.StartAsync(2, seedCount: 1, name => name == "n1"
            ? new Dictionary<string, string?> { ["actorchain:admin:faultinjection"] = "on" }
            : new Dictionary<string, string?>());
        await _cluster.AwaitMembersUpAsync(["n1", "n2"]);
    }

    public Task DisposeAsync() => _cluster.DisposeAsync().AsTask();

    [Fact]
    public async Task Blackhole_ByHttp_MakesThePeerUnreachable_AndHealAllRestoresIt()
    {
        using var http = new HttpClient { BaseAddress = _cluster["n1"].HttpAddress };

        var cut = await http.PutAsJsonAsync("/api/admin/faults/n2", new { fault = "blackhole" });

        Assert.Equal(HttpStatusCode.OK, cut.StatusCode);
        await Eventually.Until(
            () => _cluster.RunOn("n1", n => n.Members().Any(m => m.NodeId == "n2" && !m.Reachable)),
            MultiNodeCluster.DefaultWait,
            "n1 never saw n2 unreachable after the blackhole route cut their link");

        var heal = await http.DeleteAsync("/api/admin/faults");

        Assert.Equal(HttpStatusCode.NoContent, heal.StatusCode);
        await Eventually.Until(
            () => _cluster.RunOn("n1", n => n.Members().All(m => m.Reachable)),
            MultiNodeCluster.DefaultWait,
            "n1 never saw n2 reachable again after the heal route");
    }

    [Theory]
    [InlineData("""{"fault": "explode"}""", "is not blackhole")]
    [InlineData("""{"fault": "drop"}""", "needs 'probability'")]
    [InlineData("""{"fault": "drop", "probability": 2}""", "probability")]
    [InlineData("""{"fault": "delay", "delayMs": -5}""", "delay")]
    [InlineData("""{"fault": "blackhole", "direction": "sideways"}""", "direction 'sideways'")]
    [InlineData("""{"fault": """, "not a fault request")]
    [InlineData("null", "body is empty")]
    public async Task BadFaultRequest_Is400Problem_AndChangesNothing(string body, string expected)
    {
        using var http = new HttpClient { BaseAddress = _cluster["n1"].HttpAddress };

        var response = await http.PutAsync("/api/admin/faults/n2", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.All(_cluster.RunOn("n1", n => n.Members()), m => Assert.True(m.Reachable));
        Assert.Equal(0, _cluster.RunOn("n1", n => n.Remoting.Transport.Counters.DroppedByFaultInjection));
    }

    [Fact]
    public async Task FaultOnTheLinkToItself_Is400()
    {
        using var http = new HttpClient { BaseAddress = _cluster["n1"].HttpAddress };

        var response = await http.PutAsJsonAsync("/api/admin/faults/n1", new { fault = "blackhole" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task WithoutTheSetting_TheRoutesDoNotExist()
    {
        using var http = new HttpClient { BaseAddress = _cluster["n2"].HttpAddress };

        var response = await http.PutAsJsonAsync("/api/admin/faults/n1", new { fault = "blackhole" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.All(_cluster.RunOn("n2", n => n.Members()), m => Assert.True(m.Reachable));
    }
}
