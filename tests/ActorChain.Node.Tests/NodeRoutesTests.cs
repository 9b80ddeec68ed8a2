using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ActorChain.Node.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorChain.Node.Tests;

/// <summary>One node that is its own single voter, on loopback, shared by the route tests (each uses its own keys).</summary>
public sealed class SoloNode : IAsyncLifetime
{
    public const int MaxValueSize = 1024;
    private readonly string _directory = Directory.CreateTempSubdirectory("actorchain-node-routes-").FullName;

    internal ActorChainNode Node { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var settings = NodeSettings.Load(
            new NodeCommandLine(
                Path.Combine(AppContext.BaseDirectory, "hocon", "reference.conf"),
                new Dictionary<string, string?>
                {
                    ["actorchain:node:id"] = "solo",
                    ["actorchain:node:port"] = "0",
                    ["actorchain:node:httpport"] = "0",
                    ["actorchain:node:data"] = _directory,
                    ["actorchain:cluster:sharedsecret"] = "routes-test-shared-secret",
                    ["actorchain:gateway:maxvaluesize"] = $"{MaxValueSize}b",
                },
                Seeds: null,
                ShowHelp: false),
            AppContext.BaseDirectory);
        Node = await ActorChainNode.StartAsync(
            settings,
            new NodeStartOptions { ConfigureLogging = logging => logging.SetMinimumLevel(LogLevel.Warning).AddProvider(new DiscardingLoggerProvider()) });
        Http = new HttpClient { BaseAddress = Node.HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Node.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>Loggers that are enabled (so the node's filters decide) and write nothing.</summary>
internal sealed class DiscardingLoggerProvider : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Discarding();

    public void Dispose()
    {
    }

    private sealed class Discarding : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }
    }
}

/// <summary>The key-value and chain routes of DESIGN §8 on a single-voter node.</summary>
[Collection(ProcessEnvironment.Name)]
public sealed class NodeRoutesTests(SoloNode solo) : IClassFixture<SoloNode>
{
    private const int MaxValueSize = SoloNode.MaxValueSize;
    private readonly ActorChainNode _node = solo.Node;
    private readonly HttpClient _http = solo.Http;

    [Fact]
    public void TheHostingLogger_IsOff_SoARequestStartsNoActivityOrLogScope()
    {
        // While it is enabled at any level, ASP.NET Core's hosting layer starts an Activity and a log scope per request.
        var loggers = _node.Web.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Critical));
        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Warning));
    }

    [Fact]
    public async Task Put_ThenGet_ReturnsTheValue_AndTheCommitLocation()
    {
        var put = await _http.PutAsync("/api/kv/colour", new ByteArrayContent("blue"u8.ToArray()));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var body = await put.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("colour", body.GetProperty("key").GetString());
        var height = body.GetProperty("height").GetInt64();
        Assert.True(height >= 1);
        var get = await _http.GetAsync("/api/kv/colour");
        Assert.Equal("application/octet-stream", get.Content.Headers.ContentType?.MediaType);
        Assert.Equal("blue", await get.Content.ReadAsStringAsync());
        var block = await _http.GetFromJsonAsync<JsonElement>($"/api/chain/blocks/{height}");
        Assert.Equal(body.GetProperty("blockHash").GetString(), block.GetProperty("hash").GetString());
        var entry = Assert.Single(block.GetProperty("entries").EnumerateArray(), e => e.GetProperty("id").GetString() == body.GetProperty("entryId").GetString());
        Assert.Equal(("kv.put", "colour", "solo"), (entry.GetProperty("kind").GetString(), entry.GetProperty("key").GetString(), entry.GetProperty("origin").GetString()));
    }

    [Theory]
    [InlineData("photos/2024", "photos%2F2024")]
    [InlineData("100%2F", "100%252F")]
    [InlineData("a b?c", "a%20b%3Fc")]
    public async Task Put_KeyWithEscapedCharacters_IsStoredDecodedOnce(string key, string escaped)
    {
        var put = await _http.PutAsync($"/api/kv/{escaped}", new ByteArrayContent("v"u8.ToArray()));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var body = await put.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(key, body.GetProperty("key").GetString());
        var block = await _http.GetFromJsonAsync<JsonElement>($"/api/chain/blocks/{body.GetProperty("height").GetInt64()}");
        Assert.Contains(block.GetProperty("entries").EnumerateArray(), e => e.GetProperty("key").GetString() == key);
        Assert.Equal("v", await _http.GetStringAsync($"/api/kv/{escaped}?consistency=local"));
        Assert.Equal(HttpStatusCode.OK, (await _http.DeleteAsync($"/api/kv/{escaped}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync($"/api/kv/{escaped}")).StatusCode);
    }

    [Fact]
    public async Task Put_WithTheSameIdempotencyKeyTwice_CommitsOnce()
    {
        async Task<JsonElement> PutAsync(string value)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, "/api/kv/once") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(value)) };
            request.Headers.Add("Idempotency-Key", "order-42");
            var response = await _http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }

        var first = await PutAsync("first");
        var second = await PutAsync("second");

        Assert.Equal("order-42", first.GetProperty("entryId").GetString());
        Assert.Equal(first.GetProperty("height").GetInt64(), second.GetProperty("height").GetInt64());
        Assert.Equal("first", await _http.GetStringAsync("/api/kv/once"));
    }

    [Theory]
    [InlineData("a%01b", "control characters")]
    [InlineData("tab%09key", "control characters")]
    public async Task Put_WithABadKey_Is400Problem(string key, string expected)
    {
        var response = await _http.PutAsync($"/api/kv/{key}", new ByteArrayContent([1]));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, expected);
    }

    [Fact]
    public async Task Put_WithAKeyOver1024Bytes_Is400Problem()
    {
        var response = await _http.PutAsync($"/api/kv/{new string('k', 1025)}", new ByteArrayContent([1]));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "1 to 1024 UTF-8 bytes");
    }

    [Fact]
    public async Task Put_OverTheValueLimit_Is413Problem_AndNothingIsWritten()
    {
        var response = await _http.PutAsync("/api/kv/big", new ByteArrayContent(new byte[MaxValueSize + 1]));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "max-value-size");
        await AssertProblemAsync(await _http.GetAsync("/api/kv/big"), HttpStatusCode.NotFound, "big");
    }

    [Fact]
    public async Task Put_OverTheValueLimit_WithoutContentLength_Is413Problem()
    {
        var content = new StreamContent(new MemoryStream(new byte[MaxValueSize + 1]));
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/kv/chunked") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await _http.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "max-value-size");
    }

    [Fact]
    public async Task Put_AtTheValueLimit_IsCommitted()
    {
        var response = await _http.PutAsync("/api/kv/full", new ByteArrayContent(new byte[MaxValueSize]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MaxValueSize, (await _http.GetByteArrayAsync("/api/kv/full")).Length);
    }

    [Fact]
    public async Task Put_WithAnOverlongIdempotencyKey_Is400Problem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/kv/k") { Content = new ByteArrayContent([1]) };
        request.Headers.Add("Idempotency-Key", new string('i', 257));

        await AssertProblemAsync(await _http.SendAsync(request), HttpStatusCode.BadRequest, "Idempotency-Key");
    }

    [Fact]
    public async Task Get_OfAMissingKey_Is404Problem_InBothConsistencies()
    {
        await AssertProblemAsync(await _http.GetAsync("/api/kv/absent"), HttpStatusCode.NotFound, "absent");
        await AssertProblemAsync(await _http.GetAsync("/api/kv/absent?consistency=linearizable"), HttpStatusCode.NotFound, "absent");
    }

    [Fact]
    public async Task Get_WithAnUnknownConsistency_Is400Problem()
    {
        await AssertProblemAsync(await _http.GetAsync("/api/kv/x?consistency=eventual"), HttpStatusCode.BadRequest, "linearizable");
    }

    [Fact]
    public async Task Delete_RemovesTheKey_AndASecondDeleteIs404()
    {
        Assert.Equal(HttpStatusCode.OK, (await _http.PutAsync("/api/kv/gone", new ByteArrayContent([7]))).StatusCode);

        var delete = await _http.DeleteAsync("/api/kv/gone");

        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal("gone", (await delete.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString());
        await AssertProblemAsync(await _http.GetAsync("/api/kv/gone"), HttpStatusCode.NotFound, "gone");
        await AssertProblemAsync(await _http.DeleteAsync("/api/kv/gone"), HttpStatusCode.NotFound, "gone");
    }

    [Fact]
    public async Task Head_IsThisNodesHead()
    {
        var head = await _http.GetFromJsonAsync<JsonElement>("/api/chain/head");

        Assert.Equal("solo", head.GetProperty("nodeId").GetString());
        Assert.Equal(_node.Chain.Service.Head.Height, head.GetProperty("height").GetInt64());
        Assert.Equal(_node.Chain.Service.Head.Hash.ToString(), head.GetProperty("hash").GetString());
    }

    [Fact]
    public async Task Block_BeyondTheHead_Is404Problem_AndANonNumberIs400()
    {
        await AssertProblemAsync(await _http.GetAsync("/api/chain/blocks/1000000"), HttpStatusCode.NotFound, "no block 1000000");
        await AssertProblemAsync(await _http.GetAsync("/api/chain/blocks/-1"), HttpStatusCode.BadRequest, "whole number");
        await AssertProblemAsync(await _http.GetAsync("/api/chain/blocks/abc"), HttpStatusCode.BadRequest, "whole number");
    }

    [Fact]
    public async Task Genesis_IsBlockZero_WithThisNodeAsTheOnlyVoter()
    {
        var genesis = await _http.GetFromJsonAsync<JsonElement>("/api/chain/blocks/0");

        Assert.Equal(0, genesis.GetProperty("timestamp").GetInt64());
        Assert.Equal("chain.genesis", Assert.Single(genesis.GetProperty("entries").EnumerateArray()).GetProperty("kind").GetString());
        var members = await _http.GetFromJsonAsync<JsonElement[]>("/api/cluster/members");
        Assert.True(Assert.Single(members!).GetProperty("voter").GetBoolean());
    }

    [Theory]
    [InlineData("count=0", "count")]
    [InlineData("count=101", "count")]
    [InlineData("count=ten", "count")]
    [InlineData("from=-1", "from")]
    [InlineData("from=x", "from")]
    public async Task Blocks_WithBadPaging_Is400Problem(string query, string expected)
    {
        await AssertProblemAsync(await _http.GetAsync($"/api/chain/blocks?{query}"), HttpStatusCode.BadRequest, expected);
    }

    [Fact]
    public async Task Blocks_Page_StartsAtFrom_AndHoldsAtMostCount()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _http.PutAsync($"/api/kv/page-{i}", new ByteArrayContent([1]))).StatusCode);
        }

        var page = await _http.GetFromJsonAsync<JsonElement[]>("/api/chain/blocks?from=1&count=2");
        var all = await _http.GetFromJsonAsync<JsonElement[]>("/api/chain/blocks");

        Assert.Equal([1L, 2L], page!.Select(b => b.GetProperty("height").GetInt64()));
        Assert.Equal(0, all![0].GetProperty("height").GetInt64());
        Assert.Equal(Math.Min(_node.Chain.Service.Head.Height + 1, 20), all.Length);
    }

    [Fact]
    public async Task Ready_IsOk_OnceTheSingleVoterChainRuns()
    {
        var ready = await _http.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailContains)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Contains(detailContains, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
