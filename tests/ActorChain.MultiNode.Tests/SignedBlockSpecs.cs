using System.Net.Http.Json;
using System.Text.Json;
using ActorChain.Chain.Signing;
using ActorChain.Tests.Harness;
using Xunit.Abstractions;

namespace ActorChain.MultiNode.Tests;

/// <summary>
/// Signed blocks on real in-process nodes (docs/security.md "Signed blocks"): every block is signed by
/// its proposer and verifies, and a journal block whose signature was altered on disk is reported by
/// /api/chain/verify at its height, never taken into the chain, and repaired from peers.
/// </summary>
public sealed class SignedBlockSpecs(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] Names = ["n1", "n2", "n3"];
    private readonly RecordingOutput _output = new(output);
    private readonly string _keys = Directory.CreateTempSubdirectory("actorchain-signing-").FullName;
    private MultiNodeCluster _cluster = null!;

    public Task InitializeAsync()
    {
        _cluster = new MultiNodeCluster(_output);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_keys, recursive: true);
    }

    [Fact]
    public async Task SignedCluster_CommitsAndVerifies_AndAJournalBlockWithAnAlteredSignatureIsReportedThenRepaired()
    {
        await _cluster.StartAsync(3, overrides: SignedBlocksOn());
        await _cluster.AwaitMembersUpAsync(Names);
        using var n1 = new HttpClient { BaseAddress = _cluster["n1"].HttpAddress };
        using var n2 = new HttpClient { BaseAddress = _cluster["n2"].HttpAddress };
        for (var i = 0; i < 12; i++)
        {
            await ChainHttp.PutAsync(i % 2 == 0 ? n1 : n2, $"key-{i}", $"value-{i}");
        }

        var before = await ChainHttp.AwaitEqualHeadsAsync(Clients(Names), TimeSpan.FromSeconds(20), atLeast: 6);
        foreach (var name in Names)
        {
            using var http = new HttpClient { BaseAddress = _cluster[name].HttpAddress };
            var verified = await http.GetFromJsonAsync<JsonElement>("/api/chain/verify");
            Assert.True(verified.GetProperty("valid").GetBoolean(), $"{name}: {verified}");
            var block = await _cluster[name].Chain.Blocks.ReadAsync(1);
            Assert.Equal(VoterKey.SignatureSize, block!.Signature.Length);
        }

        foreach (var name in Names)
        {
            await _cluster.StopAsync(name);
        }

        // Only the signature changes (the record's CRC is rewritten): hashes, links and roots all still check out.
        var tampered = PersistenceRepairSpecs.TamperMiddleBlock(Path.Combine(_cluster.Spec("n3").DataDirectory, "journal"));
        Assert.InRange(tampered, 1, before.Height - 1);

        var n3 = await _cluster.StartNodeAsync("n3");
        using var n3Http = new HttpClient { BaseAddress = n3.HttpAddress };
        var report = await n3Http.GetFromJsonAsync<JsonElement>("/api/chain/verify");
        Assert.False(report.GetProperty("valid").GetBoolean(), report.ToString());
        Assert.Equal(tampered, report.GetProperty("firstInvalidHeight").GetInt64());
        Assert.Contains("signature does not verify", report.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(tampered - 1, n3.Chain.Client.Head.Height);

        await Task.WhenAll(_cluster.StartNodeAsync("n1"), _cluster.StartNodeAsync("n2"));
        var after = await ChainHttp.AwaitEqualHeadsAsync(Clients(Names), TimeSpan.FromSeconds(30), atLeast: before.Height);
        Assert.Equal(before, after);
        await Eventually.Until(() => n3.Chain.PendingRepair is null, TimeSpan.FromSeconds(10), "n3 never rewrote its journal past the block with the altered signature");
        var repaired = await n3Http.GetFromJsonAsync<JsonElement>("/api/chain/verify");
        Assert.True(repaired.GetProperty("valid").GetBoolean(), repaired.ToString());

        await ChainHttp.PutAsync(n3Http, "after-repair", "yes");
        await ChainHttp.AwaitEqualHeadsAsync(Clients(Names), TimeSpan.FromSeconds(20), atLeast: before.Height + 1);
    }

    /// <summary>Each node's key in a file of its own, every voter's public key in every node's voter-keys.</summary>
    [Fact]
    public async Task SignedNode_RestartedFromASnapshot_KeepsTheVoterKeys_AndTakesOnlySignedBlocks()
    {
        var signed = SignedBlocksOn();
        await _cluster.StartAsync(3, overrides: name => new Dictionary<string, string?>(signed(name))
        {
            ["actorchain:persistence:snapshotinterval"] = "4",
        });
        await _cluster.AwaitMembersUpAsync(Names);
        using var n1 = new HttpClient { BaseAddress = _cluster["n1"].HttpAddress };
        for (var i = 0; i < 16; i++)
        {
            await ChainHttp.PutAsync(n1, $"key-{i}", $"value-{i}");
        }

        var before = await ChainHttp.AwaitEqualHeadsAsync(Clients(Names), TimeSpan.FromSeconds(20), atLeast: 12);
        await Eventually.Until(() => _cluster["n3"].Chain.LocalSnapshotHeight >= 8, TimeSpan.FromSeconds(20), "n3 never saved a snapshot");
        await _cluster.StopAsync("n3");

        var n3 = await _cluster.RestartAsync("n3");

        // Started from the snapshot, the node checks later blocks' signatures with the keys the snapshot kept:
        // it takes the blocks decided after its restart, every one signed, and verifies its whole journal.
        Assert.True(n3.Chain.StartedFrom.SnapshotHeight >= 8, $"started from {n3.Chain.StartedFrom}");
        var keysAfterRestart = await n3.Chain.Client.QueryAsync(ledger => ledger.VoterKeys?.At(ledger.Height + 1).Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(Names, keysAfterRestart);
        using var n3Http = new HttpClient { BaseAddress = n3.HttpAddress };
        for (var i = 0; i < 4; i++)
        {
            await ChainHttp.PutAsync(n3Http, $"after-{i}", "yes");
        }

        var after = await ChainHttp.AwaitEqualHeadsAsync(Clients(Names), TimeSpan.FromSeconds(20), atLeast: before.Height + 1);
        var verified = await n3Http.GetFromJsonAsync<JsonElement>("/api/chain/verify");
        Assert.True(verified.GetProperty("valid").GetBoolean(), verified.ToString());
        Assert.Equal(after.Height, verified.GetProperty("height").GetInt64());
        var last = await n3.Chain.Blocks.ReadAsync(after.Height);
        Assert.Equal(VoterKey.SignatureSize, last!.Signature.Length);
    }

    private Func<string, IReadOnlyDictionary<string, string?>> SignedBlocksOn()
    {
        var publicKeys = new Dictionary<string, string>();
        foreach (var name in Names)
        {
            using var signer = BlockSigner.Generate();
            File.WriteAllText(KeyFile(name), signer.ToPem());
            publicKeys[name] = signer.PublicKey.ToBase64SubjectPublicKeyInfo();
        }

        return name =>
        {
            var settings = new Dictionary<string, string?>
            {
                ["actorchain:chain:signedblocks"] = "true",
                ["actorchain:chain:signingkey"] = KeyFile(name),
            };
            foreach (var (voter, i) in Names.Select((v, i) => (v, i)))
            {
                settings[$"actorchain:chain:voterkeys:{i}"] = $"{voter}={publicKeys[voter]}";
            }

            return settings;
        };
    }

    private string KeyFile(string name) => Path.Combine(_keys, $"{name}.pem");

    private List<HttpClient> Clients(params string[] names) =>
        [.. names.Select(n => new HttpClient { BaseAddress = _cluster[n].HttpAddress, Timeout = TimeSpan.FromSeconds(5) })];
}
