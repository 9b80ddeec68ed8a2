using System.Text.Json;
using ActorChain.Tests.Harness;
using Xunit.Abstractions;

namespace ActorChain.Cli.Tests;

/// <summary>Commands that change the cluster (leave, down) or need a second one (diff): a cluster of their own.</summary>
public sealed class MembershipCommandsTests(ThreeNodeCluster cluster, ITestOutputHelper output) : IClassFixture<ThreeNodeCluster>
{
    [Fact]
    public async Task ClusterDown_RemovesTheNode_AndClusterLeave_TakesTheAskedNodeOut()
    {
        var (n1, n2) = (cluster.Urls[0], cluster.Urls[1]);
        await cluster.Cluster.StopAsync("n3");

        var down = await CliRun.ExpectAsync(0, "cluster", "down", "n3", "--node", n1);
        Assert.StartsWith("Requested down of n3 (", down.Out, StringComparison.Ordinal);
        await AwaitMembersAsync(n1, members => !members.Any(m => m.NodeId == "n3" && m.Status != "Down"), "n3 is gone or Down");

        var leave = (await CliRun.ExpectAsync(0, "cluster", "leave", "--node", n2, "--json")).Json();
        Assert.Equal(("n2", "leave"), (leave.GetProperty("nodeId").GetString(), leave.GetProperty("requested").GetString()));
        await AwaitMembersAsync(n1, members => !members.Any(m => m.NodeId == "n2" && m.Status is "Up" or "Joining"), "n2 is leaving or gone");
    }

    [Fact]
    public async Task ChainDiff_OfTwoClusters_NamesGenesisAsTheFirstDifference_AndExits1()
    {
        await using var other = new MultiNodeCluster(output);
        await other.StartAsync(1, seedCount: 1);
        using var otherHttp = new HttpClient { BaseAddress = other["n1"].HttpAddress };
        await ThreeNodeCluster.AwaitReadyAsync([otherHttp]);
        await ChainHttp.PutAsync(otherHttp, "other-k", "v");

        var result = await CliRun.ExpectAsync(1, "chain", "diff", "--nodes", $"{cluster.Urls[0]},{otherHttp.BaseAddress}");

        Assert.Contains("Chains differ: first differing height is 0.", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WritesToANodeWithApiKeys_NeedTheKey_FromTheOptionOrTheEnvironment()
    {
        await using var keyed = new MultiNodeCluster(output);
        await keyed.StartAsync(1, seedCount: 1, overrides: _ => new Dictionary<string, string?> { ["actorchain:gateway:apikeys:0"] = "cli-test-api-key-0123456789abcdef" });
        using var http = new HttpClient { BaseAddress = keyed["n1"].HttpAddress };
        await ThreeNodeCluster.AwaitReadyAsync([http]);
        var node = http.BaseAddress!.ToString();

        var withoutKey = await CliRun.ExpectAsync(1, "kv", "put", "keyed", "v1", "--node", node);
        var wrongKey = await CliRun.ExpectAsync(1, "kv", "put", "keyed", "v1", "--node", node, "--api-key", "not-it");
        await CliRun.ExpectAsync(0, "kv", "put", "keyed", "v2", "--node", node, "--api-key", "cli-test-api-key-0123456789abcdef");
        var byEnvironment = await CliRun.RunAsync(["kv", "put", "keyed", "v3", "--node", node], new Dictionary<string, string> { ["ACTORCHAIN_API_KEY"] = "cli-test-api-key-0123456789abcdef" }, CancellationToken.None);
        var read = await CliRun.ExpectAsync(0, "kv", "get", "keyed", "--node", node);

        Assert.Contains("failed with 401", withoutKey.Error, StringComparison.Ordinal);
        Assert.EndsWith("(give --api-key or set ACTORCHAIN_API_KEY)", withoutKey.Error.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("failed with 403", wrongKey.Error, StringComparison.Ordinal);
        Assert.Equal(0, byEnvironment.ExitCode);
        Assert.Equal("v3", read.Out.Trim());
    }

    private static async Task AwaitMembersAsync(string node, Func<List<(string? NodeId, string Status)>, bool> condition, string what)
    {
        var last = string.Empty;
        await Eventually.UntilAsync(
            async () =>
            {
                var shown = await CliRun.RunAsync("cluster", "show", "--node", node, "--json");
                if (shown.ExitCode != 0)
                {
                    last = shown.ToString();
                    return false;
                }

                last = shown.Out;
                var members = shown.Json().GetProperty("members").EnumerateArray()
                    .Select(m => (m.GetProperty("nodeId").ValueKind == JsonValueKind.String ? m.GetProperty("nodeId").GetString() : null, m.GetProperty("status").GetString()!))
                    .ToList();
                return condition(members);
            },
            ThreeNodeCluster.Wait,
            $"cluster show on {node} never showed that {what}; last: {last}");
    }
}
