using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ActorChain.Persistence;
using ActorChain.Tests.Harness;
using Xunit.Abstractions;

namespace ActorChain.MultiNode.Tests;

/// <summary>
/// DESIGN §7 on real in-process nodes: a journal block tampered with on disk (its CRC rewritten, so only the
/// chain check catches it) is reported and never served, re-fetched from peers and rewritten; and a cluster
/// stopped whole and started again keeps its head.
/// </summary>
public sealed class PersistenceRepairSpecs(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly RecordingOutput _output = new(output);
    private MultiNodeCluster _cluster = null!;

    public Task InitializeAsync()
    {
        _cluster = new MultiNodeCluster(_output);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task TamperedJournalBlock_IsReportedAndNotServed_ThenRepairedFromPeers_AndEveryNodeKeepsOneHead()
    {
        await _cluster.StartAsync(3);
        await _cluster.AwaitMembersUpAsync(["n1", "n2", "n3"]);
        using var n1 = new HttpClient { BaseAddress = _cluster["n1"].HttpAddress };
        for (var i = 0; i < 24; i++)
        {
            await ChainHttp.PutAsync(n1, $"key-{i}", $"value-{i}");
        }

        var before = await ChainHttp.AwaitEqualHeadsAsync(Clients("n1", "n2", "n3"), TimeSpan.FromSeconds(20), atLeast: 10);
        foreach (var name in new[] { "n1", "n2", "n3" })
        {
            await _cluster.StopAsync(name);
        }

        var tampered = TamperMiddleBlock(Path.Combine(_cluster.Spec("n3").DataDirectory, "journal"));
        Assert.InRange(tampered, 1, before.Height - 1);

        // n3 alone first: no peer to repair from, so what it reports and serves stays put while we look.
        var n3 = await _cluster.StartNodeAsync("n3");
        using var n3Http = new HttpClient { BaseAddress = n3.HttpAddress };
        Assert.Contains(_output.Lines, l => l.Contains("[n3]") && l.Contains($"journal block {tampered} is corrupt"));
        var report = await n3Http.GetFromJsonAsync<JsonElement>("/api/chain/verify");
        Assert.False(report.GetProperty("valid").GetBoolean(), report.ToString());
        Assert.Equal(tampered, report.GetProperty("firstInvalidHeight").GetInt64());
        Assert.Equal(tampered - 1, report.GetProperty("height").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await n3Http.GetAsync($"/api/chain/blocks/{tampered}")).StatusCode);
        Assert.Equal(tampered - 1, n3.Chain.Client.Head.Height);

        await Task.WhenAll(_cluster.StartNodeAsync("n1"), _cluster.StartNodeAsync("n2"));
        var after = await ChainHttp.AwaitEqualHeadsAsync(Clients("n1", "n2", "n3"), TimeSpan.FromSeconds(30), atLeast: before.Height);

        Assert.Equal(before, after);
        await Eventually.Until(() => n3.Chain.PendingRepair is null, TimeSpan.FromSeconds(10), "n3 never finished rewriting its journal past the tampered block");
        Assert.Contains(_output.Lines, l => l.Contains("[n3]") && l.Contains($"journal repaired: blocks {tampered}.."));
        var verified = await n3Http.GetFromJsonAsync<JsonElement>("/api/chain/verify");
        Assert.True(verified.GetProperty("valid").GetBoolean(), verified.ToString());
        Assert.Equal(before.Height, verified.GetProperty("height").GetInt64());
        var repairedBlock = await n3Http.GetFromJsonAsync<JsonElement>($"/api/chain/blocks/{tampered}");
        var goodBlock = await n1.GetFromJsonAsync<JsonElement>($"/api/chain/blocks/{tampered}");
        Assert.Equal(goodBlock.GetProperty("hash").GetString(), repairedBlock.GetProperty("hash").GetString());

        // The repaired journal takes new blocks like any other.
        await ChainHttp.PutAsync(n3Http, "after-repair", "yes");
        await ChainHttp.AwaitEqualHeadsAsync(Clients("n1", "n2", "n3"), TimeSpan.FromSeconds(20), atLeast: before.Height + 1);
    }

    [Fact]
    public async Task EveryNodeStoppedAndStartedAgain_KeepsTheSameHeadAndValues()
    {
        await _cluster.StartAsync(3);
        await _cluster.AwaitMembersUpAsync(["n1", "n2", "n3"]);
        using var n2 = new HttpClient { BaseAddress = _cluster["n2"].HttpAddress };
        for (var i = 0; i < 10; i++)
        {
            await ChainHttp.PutAsync(n2, $"k{i}", $"v{i}");
        }

        var before = await ChainHttp.AwaitEqualHeadsAsync(Clients("n1", "n2", "n3"), TimeSpan.FromSeconds(20), atLeast: 1);
        foreach (var name in new[] { "n1", "n2", "n3" })
        {
            await _cluster.StopAsync(name);
        }

        await Task.WhenAll(_cluster.RestartAsync("n1"), _cluster.RestartAsync("n2"), _cluster.RestartAsync("n3"));

        foreach (var node in _cluster.Running)
        {
            Assert.Equal(before.Height, node.Chain.Client.Head.Height);
            Assert.Equal(before.Hash, node.Chain.Client.Head.Hash.ToString());
        }

        using var n3 = new HttpClient { BaseAddress = _cluster["n3"].HttpAddress };
        Assert.Equal("v7", await ChainHttp.GetAsync(n3, "k7"));
        await ChainHttp.PutAsync(n3, "after-restart", "yes");
        await ChainHttp.AwaitEqualHeadsAsync(Clients("n1", "n2", "n3"), TimeSpan.FromSeconds(20), atLeast: before.Height + 1);
    }

    /// <summary>
    /// Flips a byte inside the middle record's block and rewrites the record's CRC-32C, as a tamperer (not a
    /// disk) would: the record checks out and only the chain's hashes show the change. Returns the block's height.
    /// </summary>
    internal static long TamperMiddleBlock(string journalDirectory)
    {
        var segments = Directory.GetFiles(journalDirectory, "*.seg").Order(StringComparer.Ordinal).ToArray();
        var records = new List<(string Path, long FirstHeight, int Offset, int Length)>();
        foreach (var segment in segments)
        {
            var bytes = File.ReadAllBytes(segment);
            var firstHeight = long.Parse(Path.GetFileNameWithoutExtension(segment), System.Globalization.CultureInfo.InvariantCulture);
            var index = 0;
            for (var offset = 0; offset + RecordFormat.HeaderSize <= bytes.Length; index++)
            {
                var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset));
                if (length == 0)
                {
                    break; // the zeros an open segment grows by, left by a node that did not close its journal
                }

                records.Add((segment, firstHeight + index, offset, length));
                offset += RecordFormat.HeaderSize + length;
            }
        }

        var (path, height, recordOffset, payloadLength) = records[records.Count / 2];
        var file = File.ReadAllBytes(path);
        var payload = file.AsSpan(recordOffset + RecordFormat.HeaderSize, payloadLength);
        payload[payloadLength - 3] ^= 0x5A;
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(recordOffset + 4), Crc32C.Compute(payload));
        File.WriteAllBytes(path, file);
        return height;
    }

    private List<HttpClient> Clients(params string[] names) =>
        [.. names.Select(n => new HttpClient { BaseAddress = _cluster[n].HttpAddress, Timeout = TimeSpan.FromSeconds(5) })];
}
