using ActorChain.Tests.Harness;

namespace ActorChain.Cli.Tests;

/// <summary><c>load</c> for about two seconds against three real nodes.</summary>
public sealed class LoadCommandTests(ThreeNodeCluster cluster) : IClassFixture<ThreeNodeCluster>
{
    [Fact]
    public async Task Load_ReportsOpsAndLatencies_AndHeadSamples_AndTheWritesAreInTheChain()
    {
        var result = await CliRun.ExpectAsync(
            0, "load", "--nodes", cluster.NodesArgument, "--duration", "2s", "--clients", "4", "--readers", "1", "--file-every", "0",
            "--keys", "50", "--key-prefix", "lt-", "--sample-interval", "50ms", "--json");

        var report = result.Json();
        var ops = report.GetProperty("operations").EnumerateArray().ToDictionary(o => o.GetProperty("operation").GetString()!);
        var puts = ops["kv.put"];
        Assert.True(puts.GetProperty("ok").GetInt64() > 0, result.Out);
        Assert.Equal(0, puts.GetProperty("errors").GetInt64());
        Assert.True(puts.GetProperty("p50Ms").GetDouble() > 0 && puts.GetProperty("p50Ms").GetDouble() <= puts.GetProperty("p99Ms").GetDouble(), result.Out);
        Assert.True(ops["kv.get"].GetProperty("ok").GetInt64() > 0, result.Out);
        Assert.True(report.GetProperty("headSamples").GetInt64() > 0, result.Out);
        Assert.True(report.GetProperty("headsEqualAfterSettle").GetBoolean(), result.Out);
        Assert.Equal("actorchain", report.GetProperty("target").GetString());
        Assert.Equal(3, report.GetProperty("endpoints").GetArrayLength());

        var entries = await ChainHttp.EntriesAsync(cluster.Http[0]);
        var loadPuts = entries.Count(e => e.Kind == "kv.put" && e.Key?.StartsWith("lt-", StringComparison.Ordinal) == true);
        Assert.True(loadPuts >= puts.GetProperty("ok").GetInt64(), $"{loadPuts} load puts in the chain, {puts.GetProperty("ok")} acknowledged");
    }

    [Fact]
    public async Task Load_AtARate_AsTables_PrintsTheSummaryLines()
    {
        var result = await CliRun.ExpectAsync(
            0, "load", "--nodes", cluster.NodesArgument, "--duration", "1s", "--rate", "50", "--clients", "2", "--readers", "0", "--file-every", "0", "--key-prefix", "lr-");

        Assert.Contains("actorchain: ", result.Out, StringComparison.Ordinal);
        Assert.Contains("writes/s over", result.Out, StringComparison.Ordinal);
        Assert.Contains("Heads equal in ", result.Out, StringComparison.Ordinal);
        Assert.Contains("p99 ms", result.Out, StringComparison.Ordinal);
    }
}
