using ActorChain.Chain;
using ActorChain.Chain.Signing;
using ActorChain.Node.Chain;
using ActorChain.Node.Configuration;
using ActorChain.Tests.Harness;

namespace ActorChain.MultiNode.Tests;

/// <summary>How a node gets its signing key and the voters' keys (actorchain.chain.signed-blocks and friends).</summary>
public sealed class SignedBlockSettingsSpecs : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("actorchain-signing-settings-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void SignedBlocks_AreOffByDefault_AndGenesisIsTheUnsignedOne()
    {
        var settings = Load("n1", []);

        Assert.Null(settings.Chain.VoterKeys);
        Assert.Null(settings.Chain.Consensus.Signer);
        Assert.Equal(GenesisPayload.CurrentVersion, NodeChain.Genesis(settings).Entries[0].Payload.Span[0]);
        Assert.False(File.Exists(Path.Combine(_root, "n1", NodeSigningKeys.DefaultFileName)));
    }

    [Fact]
    public void SignedBlocksOn_CreatesTheKeyFileOwnerOnly_ReusesItOnTheNextStart_AndPutsItsKeyInGenesis()
    {
        var first = Load("n1", new() { ["actorchain:chain:signedblocks"] = "true" });
        var file = Path.Combine(_root, "n1", NodeSigningKeys.DefaultFileName);
        var again = Load("n1", new() { ["actorchain:chain:signedblocks"] = "true" });

        Assert.True(File.Exists(file));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.Equal(first.Chain.Consensus.Signer!.PublicKey, again.Chain.Consensus.Signer!.PublicKey);
        var genesis = GenesisPayload.Decode(NodeChain.Genesis(first).Entries[0].Payload.Span);
        Assert.Equal(first.Chain.Consensus.Signer.PublicKey, genesis.VoterKeys!["n1"]);
        Assert.Equal(NodeChain.Genesis(first).Hash, NodeChain.Genesis(again).Hash);
    }

    [Fact]
    public void NodesListingTheSameVoterKeys_ComputeTheSameSignedGenesis()
    {
        var keys = new[] { "n1", "n2" }.ToDictionary(n => n, n => NodeSigningKeys.GenerateKey(Path.Combine(_root, $"{n}.pem")));
        Dictionary<string, string?> Signed(string node) => new()
        {
            ["actorchain:chain:signedblocks"] = "true",
            ["actorchain:chain:signingkey"] = Path.Combine(_root, $"{node}.pem"),
            ["actorchain:chain:initialvoters:0"] = "n1",
            ["actorchain:chain:initialvoters:1"] = "n2",
            ["actorchain:chain:voterkeys:0"] = $"n1={keys["n1"]}",
            ["actorchain:chain:voterkeys:1"] = $"n2={keys["n2"]}",
        };

        var n1 = Load("n1", Signed("n1"));
        var n2 = Load("n2", Signed("n2"));

        Assert.Equal(NodeChain.Genesis(n1).Hash, NodeChain.Genesis(n2).Hash);
        Assert.NotEqual(n1.Chain.Consensus.Signer!.PublicKey, n2.Chain.Consensus.Signer!.PublicKey);
    }

    [Fact]
    public void AnInitialVoterWithoutAListedKey_IsAClearError()
    {
        var e = Assert.Throws<NodeConfigurationException>(() => Load("n1", new()
        {
            ["actorchain:chain:signedblocks"] = "true",
            ["actorchain:chain:initialvoters:0"] = "n1",
            ["actorchain:chain:initialvoters:1"] = "n2",
        }));

        Assert.Contains("no public key for the initial voter n2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AKeyFileThatIsNotTheListedKey_OrNotAKey_IsAClearErrorNamingTheFile()
    {
        var other = NodeSigningKeys.GenerateKey(Path.Combine(_root, "other.pem"));
        NodeSigningKeys.GenerateKey(Path.Combine(_root, "mine.pem"));
        var garbage = Path.Combine(_root, "garbage.pem");
        File.WriteAllText(garbage, "not a key");

        var mismatch = Assert.Throws<NodeConfigurationException>(() => Load("n1", new()
        {
            ["actorchain:chain:signedblocks"] = "true",
            ["actorchain:chain:signingkey"] = Path.Combine(_root, "mine.pem"),
            ["actorchain:chain:voterkeys:0"] = $"n1={other}",
        }));
        var unreadable = Assert.Throws<NodeConfigurationException>(() => Load("n1", new()
        {
            ["actorchain:chain:signedblocks"] = "true",
            ["actorchain:chain:signingkey"] = garbage,
        }));

        Assert.Contains("is not the one actorchain.chain.voter-keys lists for n1", mismatch.Message, StringComparison.Ordinal);
        Assert.Contains(garbage, unreadable.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GenerateKey_PrintsThePublicKey_AndKeepsAnExistingFile()
    {
        var path = Path.Combine(_root, "keys", "node.pem");
        var commandLine = NodeCommandLine.Parse(["--generate-key", path]);

        var printed = NodeSigningKeys.GenerateKey(commandLine.GenerateKeyPath!);

        Assert.Equal(path, commandLine.GenerateKeyPath);
        Assert.Equal(printed, NodeSigningKeys.GenerateKey(path));
        Assert.Equal(VoterKey.FromBase64SubjectPublicKeyInfo(printed), BlockSigner.FromPem(File.ReadAllText(path)).PublicKey);
    }

    private NodeSettings Load(string nodeId, Dictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>(NodeSpec.FastTimers, StringComparer.OrdinalIgnoreCase)
        {
            ["actorchain:node:id"] = nodeId,
            ["actorchain:node:data"] = Path.Combine(_root, nodeId),
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return NodeSettings.Load(new NodeCommandLine(NodeSpec.ReferenceConf, all, null, ShowHelp: false), AppContext.BaseDirectory);
    }
}
