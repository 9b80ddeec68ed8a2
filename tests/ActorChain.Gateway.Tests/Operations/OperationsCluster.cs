using System.Net.Http.Headers;
using ActorChain.Tests.Harness;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace ActorChain.Gateway.Tests.Operations;

/// <summary>
/// Three in-process nodes with an API key, fault-injection routes (so admin routes exist too) and a
/// small Kestrel body limit, shared by the operations specs of one class.
/// </summary>
public sealed class OperationsCluster : IAsyncLifetime
{
    public const string ApiKey = "ops-specs-api-key-0123456789";
    public const string SecondApiKey = "ops-specs-api-key-second-abcdef";
    public const int MaxRequestBodyBytes = 64 * 1024;

    private readonly BufferedOutput _output = new();

    internal MultiNodeCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = new MultiNodeCluster(_output);
        await Cluster.StartAsync(3, seedCount: 1, _ => new Dictionary<string, string?>
        {
            // The configuration keys ACTORCHAIN__GATEWAY__APIKEYS__0 and __1 set.
            ["actorchain:gateway:apikeys:0"] = ApiKey,
            ["actorchain:gateway:apikeys:1"] = SecondApiKey,
            ["actorchain:gateway:limits:maxrequestbodysize"] = $"{MaxRequestBodyBytes}b",
            ["actorchain:admin:faultinjection"] = "on",
        });
        await Cluster.AwaitMembersUpAsync(["n1", "n2", "n3"]);
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    public HttpClient Client(string node, string? key = null)
    {
        var http = new HttpClient { BaseAddress = Cluster[node].HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return http;
    }

    public EndpointDataSource Endpoints(string node) => Cluster[node].Web.Services.GetRequiredService<EndpointDataSource>();

    /// <summary>Node logs go nowhere: a class fixture has no test output, and failures say what they saw.</summary>
    private sealed class BufferedOutput : ITestOutputHelper
    {
        public void WriteLine(string message)
        {
        }

        public void WriteLine(string format, params object[] args)
        {
        }
    }
}

internal static class Problem
{
    public static async Task AssertAsync(HttpResponseMessage response, int status, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != status || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            throw new XunitException($"{what}: expected {status} application/problem+json, got {(int)response.StatusCode} {response.Content.Headers.ContentType}: {body}");
        }

        using var json = System.Text.Json.JsonDocument.Parse(body);
        Assert.Equal(status, json.RootElement.GetProperty("status").GetInt32());
        Assert.True(json.RootElement.TryGetProperty("title", out _), $"{what}: the problem has a title");
    }
}
