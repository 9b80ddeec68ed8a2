using System.Globalization;
using System.Text.Json;
using ActorChain.Cli.Http;
using ActorChain.Tests.Harness;

namespace ActorChain.Cli.Tests;

/// <summary><c>cluster voters</c> and <c>cluster voter add|remove</c> against three real nodes (a cluster of their own: they change its voters).</summary>
public sealed class VoterCommandsTests(ThreeNodeCluster cluster) : IClassFixture<ThreeNodeCluster>
{
    [Fact]
    public async Task VoterRemove_ThenAdd_ChangesTheVoterSet_AndTheChainHoldsBothEntries()
    {
        var (n1, n2) = (cluster.Urls[0], cluster.Urls[1]);
        var before = (await CliRun.ExpectAsync(0, "cluster", "voters", "--node", n1, "--json")).Json();
        Assert.Equal(["n1", "n2", "n3"], VoterIds(before));
        Assert.All(before.GetProperty("voters").EnumerateArray(), v => Assert.Equal("Up", v.GetProperty("member").GetString()));

        var removed = await CliRun.ExpectAsync(0, "cluster", "voter", "remove", "n3", "--node", n1);
        Assert.StartsWith("Removed voter n3 at height ", removed.Out, StringComparison.Ordinal);
        Assert.EndsWith("the voters are n1, n2.", removed.Out.TrimEnd(), StringComparison.Ordinal);
        var removedAt = long.Parse(removed.Out["Removed voter n3 at height ".Length..].Split(' ')[0], CultureInfo.InvariantCulture);
        await AwaitVotersAsync(n2, ["n1", "n2"]);
        var table = await CliRun.ExpectAsync(0, "cluster", "voters", "--node", n1);
        Assert.Contains("2 voters (a quorum is 2) as n1 sees them at height ", table.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(" n3 ", table.Out, StringComparison.Ordinal);

        var added = (await CliRun.ExpectAsync(0, "cluster", "voter", "add", "n3", "--node", n2, "--json")).Json();
        Assert.Equal(("n3", "voter.add"), (added.GetProperty("nodeId").GetString(), added.GetProperty("change").GetString()));
        Assert.Equal(["n1", "n2", "n3"], added.GetProperty("voters").EnumerateArray().Select(v => v.GetString()).Order(StringComparer.Ordinal));
        var addedAt = added.GetProperty("height").GetInt64();
        await AwaitVotersAsync(n1, ["n1", "n2", "n3"]);

        Assert.True(addedAt > removedAt, $"voter.add at {addedAt} is not after voter.remove at {removedAt}");
        Assert.Contains(await EntriesAsync(n1, removedAt), e => e.Kind == "voter.remove");
        Assert.Contains(await EntriesAsync(n1, addedAt), e => e.Kind == "voter.add");
        Assert.Equal(added.GetProperty("blockHash").GetString(), (await CliRun.ExpectAsync(0, "chain", "block", Text(addedAt), "--node", n1, "--json")).Json().GetProperty("hash").GetString());
    }

    [Theory]
    [InlineData("remove", "n9", "failed with 409 Voter change rejected: ", "n9 is not a voter")]
    [InlineData("add", "n1", "failed with 409 Voter change rejected: ", "n1 is already a voter")]
    [InlineData("add", "a-node-id-of-more-than-sixty-four-bytes-which-the-ledger-refuses-to-store", "failed with 400 Bad node id: ", "at most 64 UTF-8 bytes")]
    public async Task RefusedVoterChange_Exits1_WithTheRoutesProblemDetail(string change, string nodeId, string status, string reason)
    {
        var result = await CliRun.ExpectAsync(1, "cluster", "voter", change, nodeId, "--node", cluster.Node1);

        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("actorchain: ", line, StringComparison.Ordinal);
        Assert.Contains(status, line, StringComparison.Ordinal);
        Assert.Contains(reason, line, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task VoterAdd_WithAPublicKeyThatIsNotOne_Exits1_WithTheRoutesReason()
    {
        var result = await CliRun.ExpectAsync(1, "cluster", "voter", "add", "n4", "--public-key", "not+a/key==", "--node", cluster.Node1);

        Assert.Contains("failed with 400 Bad public key: publicKey is ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VoterAdd_WithAPublicKey_SendsItIntact_SoTheLedgerJudgesTheNodeNotTheKey()
    {
        string key;
        do
        {
            // '+' is a space in a query string unless escaped: only a key with one shows the CLI escapes it.
            using var ecdsa = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
            key = Convert.ToBase64String(ecdsa.ExportSubjectPublicKeyInfo());
        }
        while (!key.Contains('+', StringComparison.Ordinal));

        var result = await CliRun.ExpectAsync(1, "cluster", "voter", "add", "n1", "--public-key", key, "--node", cluster.Node1);

        Assert.Contains("failed with 409 Voter change rejected: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("n1 is already a voter", result.Error, StringComparison.Ordinal);
    }

    private static IEnumerable<string?> VoterIds(JsonElement listed) =>
        listed.GetProperty("voters").EnumerateArray().Select(v => v.GetProperty("nodeId").GetString());

    private static string Text(long height) => height.ToString(CultureInfo.InvariantCulture);

    private static async Task<List<(string Kind, string Origin)>> EntriesAsync(string node, long height)
    {
        var block = (await CliRun.ExpectAsync(0, "chain", "block", Text(height), "--node", node, "--json")).Json();
        return [.. block.GetProperty("entries").EnumerateArray().Select(e => (e.GetProperty("kind").GetString()!, e.GetProperty("origin").GetString()!))];
    }

    private static async Task AwaitVotersAsync(string node, string[] expected)
    {
        var last = string.Empty;
        await Eventually.UntilAsync(
            async () =>
            {
                var listed = await CliRun.RunAsync("cluster", "voters", "--node", node, "--json");
                last = listed.ToString();
                return listed.ExitCode == 0 && VoterIds(listed.Json()).SequenceEqual(expected);
            },
            ThreeNodeCluster.Wait,
            $"cluster voters on {node} never listed {string.Join(", ", expected)}; last: {last}");
    }
}

/// <summary>How the CLI reads the voters' JSON: the documented list of ids, and objects that say whether a voter has a key.</summary>
public sealed class VoterListParsingTests
{
    [Fact]
    public void ListOfIds_GivesVoters_WhoseKeyIsUnknown()
    {
        var voters = Voter.ParseList(JsonDocument.Parse("""["n1","n2"]""").RootElement);

        Assert.Equal([new Voter("n1", null), new Voter("n2", null)], voters);
    }

    [Fact]
    public void ListOfObjects_SaysWhichVotersHaveAPublicKey()
    {
        var voters = Voter.ParseList(JsonDocument.Parse("""[{"nodeId":"n1","publicKey":"MFkw"},{"nodeId":"n2"},{"nodeId":"n3","publicKey":null}]""").RootElement);

        Assert.Equal([new Voter("n1", true), new Voter("n2", false), new Voter("n3", false)], voters);
    }

    [Theory]
    [InlineData("""{"voters":["n1"]}""")]
    [InlineData("""[1]""")]
    [InlineData("""[{"id":"n1"}]""")]
    public void AnythingElse_IsUnreadable(string body) =>
        Assert.Throws<JsonException>(() => Voter.ParseList(JsonDocument.Parse(body).RootElement));
}
