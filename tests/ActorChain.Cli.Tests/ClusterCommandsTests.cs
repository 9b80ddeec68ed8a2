using System.Text.Json;
using ActorChain.Tests.Harness;

namespace ActorChain.Cli.Tests;

/// <summary>cluster, chain and kv commands against three real in-process nodes (each test uses its own keys).</summary>
public sealed class ClusterCommandsTests(ThreeNodeCluster cluster) : IClassFixture<ThreeNodeCluster>
{
    private string Node1 => cluster.Node1;

    [Fact]
    public async Task ClusterShow_ListsEveryMember_AndSaysTheHeadsAgree()
    {
        await ChainHttp.PutAsync(cluster.Http[0], "show-k", "v");
        await ChainHttp.AwaitEqualHeadsAsync(cluster.Http, ThreeNodeCluster.Wait, atLeast: 1);
        CliResult table = null!;
        await Eventually.UntilAsync(
            async () => (table = await CliRun.RunAsync("cluster", "show", "--node", Node1)).Out.Contains("heads agree", StringComparison.Ordinal),
            ThreeNodeCluster.Wait,
            "cluster show never said the heads agree");

        Assert.Equal(0, table.ExitCode);
        foreach (var name in (string[])["n1", "n2", "n3"])
        {
            Assert.Contains(cluster.Cluster.Spec(name).RemoteAddress, table.Out, StringComparison.Ordinal);
            Assert.Contains($" {name} ", table.Out, StringComparison.Ordinal);
        }

        Assert.Contains("All 3 heads agree: height", table.Out, StringComparison.Ordinal);
        var json = (await CliRun.ExpectAsync(0, "cluster", "show", "--node", Node1, "--json")).Json();
        var members = json.GetProperty("members").EnumerateArray().ToList();
        Assert.Equal(["n1", "n2", "n3"], members.Select(m => m.GetProperty("nodeId").GetString()));
        Assert.All(members, m => Assert.Equal(("Up", true, true), (m.GetProperty("status").GetString(), m.GetProperty("reachable").GetBoolean(), m.GetProperty("voter").GetBoolean())));
    }

    [Fact]
    public async Task KvPut_ThenGetOnAnotherNode_ThenDelete_ThenGetFails()
    {
        var put = await CliRun.ExpectAsync(0, "kv", "put", "cli-colour", "blue", "--node", Node1, "--json");
        var height = put.Json().GetProperty("height").GetInt64();

        var got = await CliRun.ExpectAsync(0, "kv", "get", "cli-colour", "--linearizable", "--node", cluster.Urls[2]);
        Assert.Equal("blue", got.Out.Trim());
        var deleted = await CliRun.ExpectAsync(0, "kv", "delete", "cli-colour", "--node", cluster.Urls[1]);
        Assert.StartsWith("Deleted 'cli-colour' at height ", deleted.Out, StringComparison.Ordinal);
        var missing = await CliRun.ExpectAsync(1, "kv", "get", "cli-colour", "--linearizable", "--node", Node1);
        Assert.Contains("no key 'cli-colour'", missing.Error, StringComparison.Ordinal);
        var block = (await CliRun.ExpectAsync(0, "chain", "block", height.ToString(System.Globalization.CultureInfo.InvariantCulture), "--node", Node1, "--json")).Json();
        Assert.Contains(block.GetProperty("entries").EnumerateArray(), e => e.GetProperty("key").GetString() == "cli-colour" && e.GetProperty("kind").GetString() == "kv.put");
    }

    [Fact]
    public async Task KvPut_FromAFile_StoresItsBytes()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(path, [0xFF, 0x00, 0x80]);
            await CliRun.ExpectAsync(0, "kv", "put", "cli-binary", "--file", path, "--node", Node1);

            var got = (await CliRun.ExpectAsync(0, "kv", "get", "cli-binary", "--linearizable", "--node", Node1, "--json")).Json();

            Assert.Equal(Convert.ToBase64String([0xFF, 0x00, 0x80]), got.GetProperty("base64").GetString());
            Assert.False(got.TryGetProperty("value", out _), "bytes that are not UTF-8 have no text value");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ChainHead_All_ShowsEveryNodesHead_AndVerify_SaysValid()
    {
        var written = await ChainHttp.PutAsync(cluster.Http[1], "head-k", "v");
        await ChainHttp.AwaitEqualHeadsAsync(cluster.Http, ThreeNodeCluster.Wait, atLeast: written.Height);

        var one = (await CliRun.ExpectAsync(0, "chain", "head", "--node", Node1, "--json")).Json();
        var all = (await CliRun.ExpectAsync(0, "chain", "head", "--all", "--nodes", cluster.NodesArgument, "--json")).Json();
        var verify = (await CliRun.ExpectAsync(0, "chain", "verify", "--node", cluster.Urls[2], "--json")).Json();

        Assert.Equal("n1", one.GetProperty("nodeId").GetString());
        var heads = all.GetProperty("heads").EnumerateArray().ToList();
        Assert.Equal(["n1", "n2", "n3"], heads.Select(h => h.GetProperty("nodeId").GetString()));
        Assert.All(heads, h => Assert.True(h.GetProperty("height").GetInt64() >= written.Height));
        Assert.True(verify.GetProperty("valid").GetBoolean());
        Assert.True(verify.GetProperty("height").GetInt64() >= written.Height);
    }

    [Fact]
    public async Task ChainHead_All_WithOneNodeDown_ListsItsError_AndExits1()
    {
        var dead = $"http://127.0.0.1:{NodeSpec.FreePorts(1)[0]}/";

        var result = await CliRun.ExpectAsync(1, "chain", "head", "--all", "--nodes", $"{Node1},{dead}");

        Assert.Contains("1 of 2 nodes did not answer.", result.Out, StringComparison.Ordinal);
        Assert.Contains("connection refused", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChainBlock_Genesis_ShowsItsHeader_AndAMissingBlockExits1()
    {
        var genesis = await CliRun.ExpectAsync(0, "chain", "block", "0", "--node", Node1);
        var missing = await CliRun.ExpectAsync(1, "chain", "block", "999999", "--node", Node1);

        Assert.Contains("Previous", genesis.Out, StringComparison.Ordinal);
        Assert.Contains(new string('0', 64), genesis.Out, StringComparison.Ordinal);
        Assert.Contains("404", missing.Error, StringComparison.Ordinal);
        Assert.Contains("no block 999999", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChainDiff_OfOneCluster_SaysTheChainsAgree()
    {
        var written = await ChainHttp.PutAsync(cluster.Http[2], "diff-k", "v");
        await ChainHttp.AwaitEqualHeadsAsync(cluster.Http, ThreeNodeCluster.Wait, atLeast: written.Height);

        var result = await CliRun.ExpectAsync(0, "chain", "diff", "--nodes", cluster.NodesArgument, "--json");

        Assert.True(result.Json().GetProperty("agree").GetBoolean(), result.Out);
    }

    [Fact]
    public async Task ClusterDown_OfAnUnknownNode_Exits1_WithTheNodesAnswer()
    {
        var result = await CliRun.ExpectAsync(1, "cluster", "down", "nobody", "--node", Node1);

        Assert.Contains("404 Unknown node", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterTail_PrintsTheMembers_AndDecidedHeights_UntilItsDuration()
    {
        using var writes = new CancellationTokenSource();
        var tail = CliRun.RunAsync("cluster", "tail", "--node", Node1, "--interval", "100ms", "--duration", "3s", "--json");
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !writes.IsCancellationRequested && i < 200; i++)
            {
                await ChainHttp.TryPutAsync(cluster.Http[i % 3], $"tail-{i}", "v");
            }
        });

        var result = await tail;
        await writes.CancelAsync();
        await writer;

        Assert.Equal(0, result.ExitCode);
        var events = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["n1", "n2", "n3"], events.Where(e => e.GetProperty("kind").GetString() == "joined").Select(e => e.GetProperty("nodeId").GetString()));
        var decided = events.Where(e => e.GetProperty("kind").GetString() == "decided").Select(e => e.GetProperty("height").GetInt64()).ToList();
        Assert.NotEmpty(decided);
        Assert.Equal(decided.Order(), decided);
    }

    [Fact]
    public async Task ClusterTail_StopsOnCancellation_WithExit0()
    {
        using var ctrlC = new CancellationTokenSource();
        var tail = CliRun.RunAsync(["cluster", "tail", "--node", Node1, "--interval", "100ms"], ctrlC.Token);
        await ctrlC.CancelAsync();

        var result = await tail.WaitAsync(ThreeNodeCluster.Wait);

        Assert.Equal(0, result.ExitCode);
    }
}
