using System.Net.Http.Json;
using System.Text.Json;
using ActorChain.Tests.Harness;
using Xunit.Abstractions;

namespace ActorChain.MultiNode.Tests;

/// <summary>
/// Local ledger snapshots on real in-process nodes (DESIGN §7): a node snapshots every snapshot-interval
/// blocks through its snapshot actor, restarts from the newest snapshot plus the journal after it (not from
/// genesis), keeps only blocks-in-memory blocks in memory, and still serves every older block from its journal
/// to clients and to a peer catching up from genesis.
/// </summary>
public sealed class PersistenceSnapshotSpecs(ITestOutputHelper output) : IAsyncLifetime
{
    private const int SnapshotInterval = 8;
    private const int BlocksInMemory = 16;
    private static readonly string[] Names = ["n1", "n2", "n3"];
    private readonly RecordingOutput _output = new(output);
    private MultiNodeCluster _cluster = null!;

    public Task InitializeAsync()
    {
        _cluster = new MultiNodeCluster(_output);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task RestartedNode_StartsFromItsNewestSnapshot_ReplaysOnlyTheTail_AndServesOldBlocksFromItsJournal()
    {
        await _cluster.StartAsync(3, overrides: _ => SnapshotSettings());
        await _cluster.AwaitMembersUpAsync(Names);
        using var n1 = new HttpClient { BaseAddress = _cluster["n1"].HttpAddress };
        for (var i = 0; i < 40; i++)
        {
            await ChainHttp.PutAsync(n1, $"key-{i}", $"value-{i}");
        }

        var before = await ChainHttp.AwaitEqualHeadsAsync(Clients(Names), TimeSpan.FromSeconds(20), atLeast: 30);
        await Eventually.Until(
            () => _cluster["n2"].Chain.LocalSnapshotHeight >= before.Height - SnapshotInterval,
            TimeSpan.FromSeconds(20),
            $"n2 never snapshotted within {SnapshotInterval} blocks of its head {before.Height}");
        var snapshots = Directory.GetFiles(Path.Combine(_cluster.Spec("n2").DataDirectory, "snapshots"));
        Assert.InRange(snapshots.Length, 1, 3);

        await _cluster.StopAsync("n2");
        var n2 = await _cluster.RestartAsync("n2");

        var (snapshotHeight, replayed) = n2.Chain.StartedFrom;
        Assert.InRange(snapshotHeight, before.Height - (2 * SnapshotInterval), before.Height);
        Assert.Equal(before.Height - snapshotHeight, replayed);
        Assert.Contains(_output.Lines, l => l.Contains("[n2]") && l.Contains($"chain recovered at height {before.Height}") && l.Contains($"snapshot at {snapshotHeight}"));
        Assert.Equal((before.Height, before.Hash), (n2.Chain.Client.Head.Height, n2.Chain.Client.Head.Hash.ToString()));

        using var n2Http = new HttpClient { BaseAddress = n2.HttpAddress };
        Assert.Equal("value-3", await ChainHttp.GetAsync(n2Http, "key-3"));
        for (var height = 0; height <= before.Height; height += 5)
        {
            // Block 0..snapshot were never in this process's memory: they come back from the journal.
            var fromN2 = await n2Http.GetFromJsonAsync<JsonElement>($"/api/chain/blocks/{height}");
            var fromN1 = await n1.GetFromJsonAsync<JsonElement>($"/api/chain/blocks/{height}");
            Assert.Equal(fromN1.GetProperty("hash").GetString(), fromN2.GetProperty("hash").GetString());
        }

        var verified = await n2Http.GetFromJsonAsync<JsonElement>("/api/chain/verify");
        Assert.True(verified.GetProperty("valid").GetBoolean(), verified.ToString());
        await ChainHttp.PutAsync(n2Http, "after-restart", "yes");
        await ChainHttp.AwaitEqualHeadsAsync(Clients(Names), TimeSpan.FromSeconds(20), atLeast: before.Height + 1);
    }

    [Fact]
    public async Task WipedNode_CatchesUpFromGenesis_FromPeersThatKeepOnlyRecentBlocksInMemory()
    {
        await _cluster.StartAsync(3, overrides: _ => SnapshotSettings());
        await _cluster.AwaitMembersUpAsync(Names);
        using var n1 = new HttpClient { BaseAddress = _cluster["n1"].HttpAddress };
        for (var i = 0; i < 50; i++)
        {
            await ChainHttp.PutAsync(n1, $"key-{i}", $"value-{i}");
        }

        var before = await ChainHttp.AwaitEqualHeadsAsync(Clients(Names), TimeSpan.FromSeconds(20), atLeast: 40);
        await _cluster.StopAsync("n3");
        Directory.Delete(_cluster.Spec("n3").DataDirectory, recursive: true);

        var n3 = await _cluster.RestartAsync("n3");
        var after = await ChainHttp.AwaitEqualHeadsAsync(Clients(Names), TimeSpan.FromSeconds(30), atLeast: before.Height);

        Assert.Equal(before, after);
        Assert.Equal((-1L, 0L), n3.Chain.StartedFrom);
        using var n3Http = new HttpClient { BaseAddress = n3.HttpAddress };
        Assert.Equal("value-1", await ChainHttp.GetAsync(n3Http, "key-1"));
        var verified = await n3Http.GetFromJsonAsync<JsonElement>("/api/chain/verify");
        Assert.True(verified.GetProperty("valid").GetBoolean(), verified.ToString());

        // Every node here started from an empty data directory, so from genesis, and none restarted from a
        // snapshot: each still holds only its recent blocks in memory (a block leaves memory as one is decided).
        await ChainHttp.PutAsync(n3Http, "after-catch-up", "yes");
        var head = await ChainHttp.AwaitEqualHeadsAsync(Clients(Names), TimeSpan.FromSeconds(20), atLeast: after.Height + 1);
        Assert.True(head.Height + 1 > 2 * BlocksInMemory, $"the chain is too short ({head.Height}) to show it");
        foreach (var name in Names)
        {
            Assert.InRange(_cluster[name].Chain.Client.Metrics.BlocksInMemory, 1, 2 * BlocksInMemory);
        }
    }

    // 16 blocks in memory (the least allowed) and a snapshot every 8: most of the chain is only on disk.
    private static Dictionary<string, string?> SnapshotSettings() => new()
    {
        ["actorchain:persistence:snapshotinterval"] = SnapshotInterval.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["actorchain:persistence:blocksinmemory"] = BlocksInMemory.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private List<HttpClient> Clients(params string[] names) =>
        [.. names.Select(n => new HttpClient { BaseAddress = _cluster[n].HttpAddress, Timeout = TimeSpan.FromSeconds(5) })];
}
