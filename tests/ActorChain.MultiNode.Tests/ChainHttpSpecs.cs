using System.Net.Http.Json;
using System.Text.Json;
using ActorChain.Tests.Harness;
using Xunit.Abstractions;

namespace ActorChain.MultiNode.Tests;

/// <summary>The key-value and chain routes across three in-process voters over real TCP (DESIGN §8).</summary>
public sealed class ChainHttpSpecs(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly MultiNodeCluster _cluster = new(output);
    private readonly List<HttpClient> _http = [];

    public async Task InitializeAsync()
    {
        await _cluster.StartAsync(3);
        await _cluster.AwaitMembersUpAsync(["n1", "n2", "n3"]);
        foreach (var name in (string[])["n1", "n2", "n3"])
        {
            _http.Add(new HttpClient { BaseAddress = _cluster[name].HttpAddress, Timeout = TimeSpan.FromSeconds(30) });
        }

        // Ready: Up, and the chain has a quorum of voters behind it.
        foreach (var http in _http)
        {
            await Eventually.UntilAsync(async () => (await http.GetAsync("/health/ready")).IsSuccessStatusCode, Wait, $"{http.BaseAddress} never became ready");
        }
    }

    public async Task DisposeAsync()
    {
        _http.ForEach(h => h.Dispose());
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task PutOnOneNode_IsReadOnAnother_LinearizablyAtOnce_AndLocallyOnceItsHeadGetsThere()
    {
        var (n1, n3) = (_http[0], _http[2]);

        var written = await ChainHttp.PutAsync(n1, "greeting", "hello");

        Assert.Equal("hello", await ChainHttp.GetAsync(n3, "greeting", linearizable: true));
        await Eventually.UntilAsync(async () => (await ChainHttp.TryHeadAsync(n3))?.Height >= written.Height, Wait, "n3's head never reached the write");
        Assert.Equal("hello", await ChainHttp.GetAsync(n3, "greeting"));
        var block = await n3.GetFromJsonAsync<JsonElement>($"/api/chain/blocks/{written.Height}");
        Assert.Equal(written.BlockHash, block.GetProperty("hash").GetString());
    }

    [Fact]
    public async Task ConcurrentPutsOnEveryNode_EndInOneChain_WithEveryAcknowledgedWriteExactlyOnce()
    {
        const int Writes = 300;

        var results = await Task.WhenAll(Enumerable.Range(0, Writes).Select(i => ChainHttp.PutAsync(_http[i % 3], $"key-{i}", $"value-{i}")));

        var head = await ChainHttp.AwaitEqualHeadsAsync(_http, Wait, atLeast: results.Max(r => r.Height));
        foreach (var http in _http)
        {
            var entries = await ChainHttp.EntriesAsync(http);
            var byId = entries.GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.ToList());
            foreach (var written in results)
            {
                var entry = Assert.Single(byId[written.EntryId]);
                Assert.Equal((written.Height, "kv.put", written.Key), (entry.Height, entry.Kind, entry.Key));
            }

            Assert.Equal(head.Height, entries.Max(e => e.Height));
        }

        Assert.Equal(Writes, results.Select(r => r.EntryId).Distinct().Count());
        Assert.Equal("value-299", await ChainHttp.GetAsync(_http[0], "key-299"));
    }

    [Fact]
    public async Task Members_ShowTheThreeVoters_AndEachNodeReportsTheSameHead()
    {
        await ChainHttp.PutAsync(_http[1], "k", "v");
        var head = await ChainHttp.AwaitEqualHeadsAsync(_http, Wait, atLeast: 1);

        foreach (var http in _http)
        {
            JsonElement[] members = [];
            await Eventually.UntilAsync(
                async () =>
                {
                    members = (await http.GetFromJsonAsync<JsonElement[]>("/api/cluster/members"))!;
                    return members.Length == 3 && members.All(m => m.GetProperty("height").GetInt64() == head.Height && m.GetProperty("headHash").GetString() == head.Hash);
                },
                Wait,
                $"{http.BaseAddress} did not show every member at head {head.Height}");
            Assert.All(members, m => Assert.True(m.GetProperty("voter").GetBoolean(), $"{m.GetProperty("nodeId")} is not shown as a voter"));
        }
    }
}
