using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ActorChain.Gateway.Operations;
using ActorChain.Tests.Harness;
using Microsoft.AspNetCore.Routing;

namespace ActorChain.Gateway.Tests.Operations;

/// <summary>
/// Issue 7 on a real three-node cluster: metrics move with real writes, API keys guard every write
/// route (found from the app's endpoints, so routes added later are covered), the OpenAPI document
/// lists every route, and every error is problem+json.
/// </summary>
public sealed class OperationsClusterSpecs(OperationsCluster fixture) : IClassFixture<OperationsCluster>
{
    private static readonly HashSet<string> SafeMethods = new(StringComparer.OrdinalIgnoreCase) { "GET", "HEAD", "OPTIONS", "TRACE" };

    [Fact]
    public async Task Metrics_AfterWritesOnARealCluster_CountersGaugesAndHistogramMove()
    {
        using var http = fixture.Client("n1", OperationsCluster.ApiKey);
        var before = await ScrapeAsync(http);
        var wonBefore = await WonOnAllNodesAsync();

        for (var i = 0; i < 5; i++)
        {
            await ChainHttp.PutAsync(http, $"metrics-{i}", $"value-{i}");
        }

        // A client is answered once its block is decided; the block counters and the height follow when the
        // node's journal has it, a moment later.
        await Eventually.UntilAsync(
            async () => (await ScrapeAsync(http)).Value("actorchain_entries_decided_total") - before.Value("actorchain_entries_decided_total") >= 5,
            TimeSpan.FromSeconds(10),
            "entries decided grew by less than the 5 writes");
        var after = await ScrapeAsync(http);
        Assert.True(after.Value("actorchain_blocks_decided_total") > before.Value("actorchain_blocks_decided_total"), "blocks decided did not grow");
        Assert.True(after.Value("actorchain_chain_height") > before.Value("actorchain_chain_height"), "the decided height did not grow");
        // A short chain under the default blocks-in-memory: every block from genesis to the head is held.
        Assert.Equal(after.Value("actorchain_chain_height") + 1, after.Value("actorchain_chain_blocks_in_memory"));
        Assert.Equal(5, after.Value("actorchain_commit_latency_seconds_count") - before.Value("actorchain_commit_latency_seconds_count"));
        Assert.True(after.Value("actorchain_commit_latency_seconds_sum") > before.Value("actorchain_commit_latency_seconds_sum"), "the latency sum did not grow");
        Assert.Equal(5, after.Value(HttpRequestCounters.MetricName, ("route", "/api/kv/{key}"), ("method", "PUT"), ("status", "200"))
            - (before.Find(HttpRequestCounters.MetricName, ("route", "/api/kv/{key}"), ("method", "PUT"), ("status", "200")) ?? 0));
        Assert.True(await WonOnAllNodesAsync() > wonBefore, "no node counted a won proposal, yet blocks were decided");

        Assert.True(after.Value("actorchain_mempool_entries") >= 0);
        Assert.True(after.Value("actorchain_mempool_bytes") >= 0);
        Assert.Equal(
            ["already_decided", "ballot_too_low", "behind", "invalid_block"],
            after.Families["actorchain_nacks_total"].Samples.Select(s => s.Labels["reason"]).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["lost", "timed_out", "won"],
            after.Families["actorchain_proposals_total"].Samples.Select(s => s.Labels["outcome"]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Metrics_ProposerCutOffFromTheQuorum_CountsTimedOutAttempts_AndTheWriteCommitsOnceHealed()
    {
        using var http = fixture.Client("n1", OperationsCluster.ApiKey);
        var before = (await ScrapeAsync(http)).Value("actorchain_proposals_total", ("outcome", "timed_out"));
        Task<HttpResponseMessage> write;
        fixture.Cluster.Blackhole("n1", "n2");
        fixture.Cluster.Blackhole("n1", "n3");
        try
        {
            write = http.PutAsync("/api/kv/cut-off", new StringContent("v"));
            await Eventually.UntilAsync(
                async () => (await ScrapeAsync(http)).Value("actorchain_proposals_total", ("outcome", "timed_out")) > before,
                TimeSpan.FromSeconds(10),
                "n1, cut off from n2 and n3, never counted a timed-out proposal");
        }
        finally
        {
            fixture.Cluster.Heal("n1", "n2");
            fixture.Cluster.Heal("n1", "n3");
        }

        using var response = await write;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_ParseLineByLine_AsTextFormat004_EveryNamePrefixed()
    {
        using var http = fixture.Client("n2");
        using var response = await http.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var document = Exposition.Parse(text);
        foreach (var family in document.Families.Values)
        {
            Assert.StartsWith("actorchain_", family.Name, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(family.Help), $"{family.Name} has no HELP text");
            Assert.True(family.Type != "counter" || family.Name.EndsWith("_total", StringComparison.Ordinal), $"counter {family.Name} does not end in _total");
        }

        Assert.Equal("histogram", document.Families["actorchain_commit_latency_seconds"].Type);
        Assert.Equal(1, document.Value("actorchain_node_info", ("node_id", "n2")));
        foreach (var name in new[] { "actorchain_chain_height", "actorchain_blocks_decided_total", "actorchain_entries_decided_total", "actorchain_cluster_reachable_peers", HttpRequestCounters.MetricName })
        {
            Assert.True(document.Families.ContainsKey(name), $"/metrics has no {name}");
        }
    }

    [Fact]
    public async Task Metrics_ReachablePeers_AreTheOtherTwoNodes()
    {
        using var http = fixture.Client("n3");

        await Eventually.UntilAsync(
            async () => (await ScrapeAsync(http)).Value("actorchain_cluster_reachable_peers") == 2,
            TimeSpan.FromSeconds(10),
            "n3's /metrics never showed 2 reachable peers");
        Assert.Equal(3, (await ScrapeAsync(http)).Value("actorchain_cluster_members", ("status", "Up")));
    }

    [Fact]
    public async Task EveryWriteRoute_WithoutAKey_Is401WithABearerChallenge()
    {
        var writes = WriteRequests("n1");
        Assert.Contains(("PUT", "/api/kv/1"), writes);
        Assert.Contains(("POST", "/api/cluster/leave"), writes);
        Assert.Contains(("POST", "/api/cluster/down/1"), writes);
        Assert.Contains(("PUT", "/api/admin/faults/1"), writes);
        using var http = fixture.Client("n1");

        foreach (var (method, path) in writes)
        {
            using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}") });
            await Problem.AssertAsync(response, 401, $"{method} {path} without a key");
            Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        }

        Assert.Equal(3, fixture.Cluster["n1"].Members().Length);
    }

    [Fact]
    public async Task EveryWriteRoute_WithAWrongKey_Is403()
    {
        using var http = fixture.Client("n2", OperationsCluster.ApiKey + "-wrong");

        foreach (var (method, path) in WriteRequests("n2"))
        {
            using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}") });
            await Problem.AssertAsync(response, 403, $"{method} {path} with a wrong key");
        }

        Assert.Null(await ChainHttp.GetAsync(http, "1"));
    }

    [Fact]
    public async Task Write_WithoutABearerScheme_Is401()
    {
        using var http = fixture.Client("n1");
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/kv/basic") { Content = new StringContent("v") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + OperationsCluster.ApiKey)));

        using var response = await http.SendAsync(request);

        await Problem.AssertAsync(response, 401, "PUT with Basic credentials");
    }

    [Fact]
    public async Task Writes_WithEitherConfiguredKey_Commit_AndReadsNeedNoKey()
    {
        using var first = fixture.Client("n1", OperationsCluster.ApiKey);
        using var second = fixture.Client("n2", OperationsCluster.SecondApiKey);
        using var anonymous = fixture.Client("n3");

        await ChainHttp.PutAsync(first, "keyed-1", "one");
        await ChainHttp.PutAsync(second, "keyed-2", "two");

        Assert.Equal("one", await ChainHttp.GetAsync(anonymous, "keyed-1", linearizable: true));
        Assert.Equal("two", await ChainHttp.GetAsync(anonymous, "keyed-2", linearizable: true));
        foreach (var read in new[] { "/api/chain/head", "/api/cluster/members", "/api/chain/blocks?count=2", "/metrics", "/openapi/v1.json", "/health/live" })
        {
            using var response = await anonymous.GetAsync(read);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {read} without a key was {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task AdminWrite_WithAKey_PassesTheGate()
    {
        using var http = fixture.Client("n1", OperationsCluster.ApiKey);

        using var response = await http.DeleteAsync("/api/admin/faults");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_ListsEveryRouteEndpoint_WithItsMethods()
    {
        using var http = fixture.Client("n1");
        using var document = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");

        Assert.StartsWith("3.", document.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var routes = fixture.Endpoints("n1").Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .Where(e => e.Order != int.MaxValue)
            .Where(e => !IsDocumentationRoute(e))
            .ToList();
        Assert.True(routes.Count >= 14, $"only {routes.Count} route endpoints found");
        var missing = new List<string>();
        foreach (var route in routes)
        {
            var path = DocumentPath(route);
            foreach (var method in route.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                if (!paths.TryGetProperty(path, out var item) || !item.TryGetProperty(method.ToLowerInvariant(), out _))
                {
                    missing.Add($"{method} {path}");
                }
            }
        }

        Assert.True(missing.Count == 0, $"missing from /openapi/v1.json: {string.Join(", ", missing)}");
        Assert.Equal("putValue", paths.GetProperty("/api/kv/{key}").GetProperty("put").GetProperty("operationId").GetString());
        Assert.False(string.IsNullOrEmpty(paths.GetProperty("/metrics").GetProperty("get").GetProperty("summary").GetString()));
    }

    [Fact]
    public async Task OpenApiDocument_WithApiKeys_MarksWritesAsNeedingTheBearerKey_AndReadsNot()
    {
        using var http = fixture.Client("n1");
        using var document = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");

        var scheme = document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("apiKey");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        foreach (var (path, method) in new[] { ("/api/kv/{key}", "put"), ("/api/kv/{key}", "delete"), ("/api/cluster/leave", "post"), ("/api/admin/faults/{nodeId}", "put") })
        {
            Assert.True(paths.GetProperty(path).GetProperty(method).TryGetProperty("security", out var security) && security.GetArrayLength() == 1, $"{method} {path} does not ask for the key");
        }

        Assert.False(paths.GetProperty("/api/kv/{key}").GetProperty("get").TryGetProperty("security", out _), "a read asks for the key");
    }

    [Fact]
    public async Task SwaggerUi_IsServed_AndLoadsTheOpenApiDocument()
    {
        using var http = fixture.Client("n1");

        using var page = await http.GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);

        var sources = new List<string> { await page.Content.ReadAsStringAsync() };
        foreach (var script in new[] { "/swagger/index.js", "/swagger/swagger-initializer.js" })
        {
            using var response = await http.GetAsync(script);
            if (response.IsSuccessStatusCode)
            {
                sources.Add(await response.Content.ReadAsStringAsync());
            }
        }

        Assert.Contains(sources, s => s.Contains("/openapi/v1.json", StringComparison.Ordinal));
        using var root = await http.GetAsync("/swagger");
        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
    }

    [Theory]
    [InlineData("/no/such/route")]
    [InlineData("/api/no/such/route")]
    [InlineData("/api/chain/blocks/1/2/3")]
    public async Task UnmatchedRoute_Is404Problem(string path)
    {
        using var http = fixture.Client("n1");
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html");

        using var response = await http.SendAsync(request);

        await Problem.AssertAsync(response, 404, $"GET {path}");
    }

    [Fact]
    public async Task WrongMethod_Is405Problem_NamingTheAllowedOnes()
    {
        using var http = fixture.Client("n1", OperationsCluster.ApiKey);

        using var response = await http.PostAsync("/api/chain/head", new StringContent("{}"));

        await Problem.AssertAsync(response, 405, "POST /api/chain/head");
        Assert.Contains("GET", response.Content.Headers.Allow);
        Assert.Contains("GET", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BodyOverKestrelsLimit_Is413Problem_AndNothingIsWritten()
    {
        using var http = fixture.Client("n1", OperationsCluster.ApiKey);

        using var response = await http.PutAsync("/api/kv/too-big", new ByteArrayContent(new byte[OperationsCluster.MaxRequestBodyBytes + 1]));

        await Problem.AssertAsync(response, 413, "PUT of a body over Kestrel's limit");
        await ChainHttp.PutAsync(http, "after-too-big", "small");
        Assert.Null(await ChainHttp.GetAsync(http, "too-big", linearizable: true));
    }

    [Fact]
    public async Task OversizeHeader_Is431_AndTheNodeStaysHealthy()
    {
        using var http = fixture.Client("n3");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/chain/head");
        request.Headers.Add("X-Padding", new string('a', 40 * 1024));

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        await AssertHealthyAsync("n3");
    }

    [Fact]
    public async Task OversizeUrl_Is414_AndTheNodeStaysHealthy()
    {
        using var http = fixture.Client("n3");

        using var response = await http.GetAsync("/api/kv/" + new string('k', 10 * 1024));

        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
        await AssertHealthyAsync("n3");
    }

    private async Task AssertHealthyAsync(string node)
    {
        using var http = fixture.Client(node);
        using var live = await http.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        await Eventually.UntilAsync(
            async () => (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(10),
            $"{node} was not ready after the oversize request");
    }

    private static bool IsDocumentationRoute(RouteEndpoint endpoint)
    {
        var raw = endpoint.RoutePattern.RawText ?? string.Empty;
        return raw.TrimStart('/').StartsWith("openapi", StringComparison.OrdinalIgnoreCase) || raw.TrimStart('/').StartsWith("swagger", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>How OpenAPI writes a route: each parameter as {name}, whatever its constraints.</summary>
    private static string DocumentPath(RouteEndpoint endpoint) =>
        "/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart p => "{" + p.Name + "}",
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart l => l.Content,
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart s => s.Content,
            _ => string.Empty,
        }))));

    /// <summary>Every (method, path) a client can write to under /api on the node, route parameters filled with "1".</summary>
    private List<(string Method, string Path)> WriteRequests(string node) =>
        [.. fixture.Endpoints(node).Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["POST", "PUT", "DELETE", "PATCH"])
                .Where(m => !SafeMethods.Contains(m))
                .Select(m => (m.ToUpperInvariant(), FillParameters(e))))
            .Where(r => r.Item2.StartsWith("/api/", StringComparison.OrdinalIgnoreCase))
            .Distinct()];

    private static string FillParameters(RouteEndpoint endpoint) =>
        "/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart => "1",
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart l => l.Content,
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart s => s.Content,
            _ => string.Empty,
        }))));

    private static async Task<Exposition.Document> ScrapeAsync(HttpClient http) => Exposition.Parse(await http.GetStringAsync("/metrics"));

    private async Task<double> WonOnAllNodesAsync()
    {
        double won = 0;
        foreach (var node in new[] { "n1", "n2", "n3" })
        {
            using var http = fixture.Client(node);
            won += (await ScrapeAsync(http)).Value("actorchain_proposals_total", ("outcome", "won"));
        }

        return won;
    }
}
