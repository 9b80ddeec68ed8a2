using ActorChain.Node.Configuration;

namespace ActorChain.Node.Tests;

// Sets ACTORCHAIN__ variables of the process: never beside a test that starts a node.
[Collection(ProcessEnvironment.Name)]
public sealed class NodeSettingsTests : IDisposable
{
    private const string Secret = "a-secret-of-enough-bytes";
    private readonly string _directory = Directory.CreateTempSubdirectory("actorchain-node-settings-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Load_WithoutConfigFile_UsesReferenceConfBesideTheExecutable()
    {
        var settings = Load([], $"actorchain.cluster.shared-secret = \"{Secret}\"", useReference: true);

        Assert.Equal("actorchain-local", settings.ClusterId);
        Assert.Equal(4053, settings.Port);
        Assert.Equal(8081, settings.HttpPort);
        Assert.Equal("127.0.0.1", settings.Hostname);
        Assert.Empty(settings.Seeds);
        Assert.Equal(Environment.MachineName, settings.NodeId);
    }

    [Fact]
    public void Load_SwitchesOverrideTheFile()
    {
        var settings = Load(
            ["--node-id", "n7", "--port", "4100", "--http-port", "9100", "--hostname", "10.1.2.3", "--data", "d7", "--seeds", "s1:4053"],
            $$"""
            actorchain { node { id = "file-id", port = 1, http-port = 2 }, cluster { shared-secret = "{{Secret}}", seed-nodes = ["a:1", "b:2", "c:3"] } }
            """);

        Assert.Equal("n7", settings.NodeId);
        Assert.Equal(4100, settings.Port);
        Assert.Equal(9100, settings.HttpPort);
        Assert.Equal("10.1.2.3", settings.Hostname);
        Assert.Equal(Path.GetFullPath("d7"), settings.DataDirectory);
        Assert.Equal("s1:4053", Assert.Single(settings.Seeds).ToString());
    }

    [Fact]
    public void Load_SeedsFromTheFile_AreParsed()
    {
        var settings = Load([], $$"""actorchain.cluster { shared-secret = "{{Secret}}", seed-nodes = ["a:1", "[::1]:4053"] }""");

        Assert.Equal(["a:1", "[::1]:4053"], settings.Seeds.Select(s => s.ToString()));
    }

    [Theory]
    [InlineData("actorchain.cluster.shared-secret = short", "shared-secret must be at least 16 bytes")]
    [InlineData("actorchain.node.port = 70000", "actorchain.node.port (--port) is 70000")]
    [InlineData("actorchain.node.http-port = -1", "actorchain.node.http-port (--http-port) is -1")]
    [InlineData("actorchain.node.id = \"has space\"", "actorchain.node.id (--node-id) is 'has space'")]
    [InlineData("actorchain.cluster-id = \"a/b\"", "actorchain.cluster-id is 'a/b'")]
    [InlineData("actorchain.cluster.seed-nodes = [\"nohost\"]", "seed 'nohost' is not host:port")]
    [InlineData("actorchain.cluster.seed-nodes = [\"h:0\"]", "seed 'h:0' is not host:port")]
    [InlineData("actorchain.node { port = 5000, http-port = 5000 }", "both 5000")]
    [InlineData("actorchain.node.port = lots", "wrong type")]
    [InlineData("actorchain { node { port = 1 }", "not valid HOCON")]
    [InlineData("actorchain.remote.max-frame-size = 100b", "actorchain.remote.max-frame-size is 100b")]
    [InlineData("actorchain.remote.max-frame-size = 4GiB", "actorchain.remote.max-frame-size is 4294967296b")]
    [InlineData("actorchain.remote { heartbeat-interval = 2s, idle-timeout = 1s }", "actorchain.remote.idle-timeout")]
    [InlineData("actorchain.cluster.gossip-interval = 0ms", "GossipInterval must be positive")]
    [InlineData("actorchain.node.leave-timeout = 0s", "actorchain.node.leave-timeout")]
    [InlineData("actorchain.chain.initial-voters = [\"a\", \"b\", \"a\"]", "initial-voters lists a node id twice")]
    [InlineData("actorchain.chain.initial-voters = [\"no spaces\"]", "a voter of actorchain.chain.initial-voters is 'no spaces'")]
    [InlineData("actorchain.chain.attempt-timeout = 0ms", "actorchain.chain.attempt-timeout")]
    [InlineData("actorchain.chain.max-block-entries = 0", "actorchain.chain.max-block-entries")]
    [InlineData("actorchain.chain.journal-batch-window = -1ms", "actorchain.chain.journal-batch-window is -00:00:00.0010000; it must be between 0")]
    [InlineData("actorchain.chain.journal-batch-window = 2s", "actorchain.chain.journal-batch-window is 00:00:02; it must be between 0")]
    [InlineData("actorchain.chain.block-linger = -1ms", "actorchain.chain.block-linger is -00:00:00.0010000; it must be between 0")]
    [InlineData("actorchain.chain.block-linger = 101ms", "actorchain.chain.block-linger is 00:00:00.1010000; it must be between 0")]
    [InlineData("actorchain.gateway.max-value-size = 0b", "actorchain.gateway.max-value-size")]
    [InlineData("actorchain.gateway.max-value-size = 64MiB", "actorchain.gateway.max-value-size")]
    [InlineData("actorchain.gateway.read-timeout = 0s", "actorchain.gateway.read-timeout")]
    public void Load_InvalidSetting_NamesTheSettingAndTheFix(string hocon, string expected)
    {
        var e = Assert.Throws<NodeConfigurationException>(() =>
            Load([], $"actorchain.cluster.shared-secret = \"{Secret}\"\n{hocon}"));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BindsTheClusterAndRemoteSections_WithSeedsInTheClustersAddressForm()
    {
        var settings = Load(
            ["--node-id", "n1", "--port", "4100", "--hostname", "10.0.0.7"],
            $$"""
            actorchain {
              cluster-id = "photos"
              cluster {
                shared-secret = "{{Secret}}", seed-nodes = ["10.0.0.1:4053", "10.0.0.2:4054"]
                gossip-interval = 250ms, acceptable-heartbeat-pause = 2s
                downing.keep-majority { enabled = on, stable-after = 7s }
              }
              remote { max-frame-size = 2MiB, flush-threshold = 32KiB, idle-timeout = 4s }
            }
            """);

        Assert.Equal("photos", settings.Cluster.ClusterId);
        Assert.Equal(["actorchain://photos@10.0.0.1:4053", "actorchain://photos@10.0.0.2:4054"], settings.Cluster.SeedNodes);
        Assert.Equal((TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2)), (settings.Cluster.GossipInterval, settings.Cluster.AcceptableHeartbeatPause));
        Assert.True(settings.Cluster.Downing.KeepMajority.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(7), settings.Cluster.Downing.KeepMajority.StableAfter);
        Assert.Equal(("n1", "photos", "10.0.0.7", 4100), (settings.Remote.NodeId, settings.Remote.ClusterId, settings.Remote.Hostname, settings.Remote.Port));
        Assert.Equal((2 * 1024 * 1024, 32 * 1024, TimeSpan.FromSeconds(4)), (settings.Remote.MaxFrameSize, settings.Remote.FlushThreshold, settings.Remote.IdleTimeout));
        Assert.Equal(Secret, System.Text.Encoding.UTF8.GetString(settings.Remote.SharedSecret));
    }

    [Fact]
    public void Load_ReferenceConf_KeepsEveryDefault()
    {
        var settings = Load([], $"actorchain.cluster.shared-secret = \"{Secret}\"", useReference: true);

        Assert.False(settings.Cluster.Downing.KeepMajority.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.Cluster.AcceptableHeartbeatPause);
        Assert.Equal((4 * 1024 * 1024, 64 * 1024), (settings.Remote.MaxFrameSize, settings.Remote.FlushThreshold));
        Assert.Equal(TimeSpan.FromSeconds(10), settings.LeaveTimeout);
    }

    [Fact]
    public void Load_ReferenceConf_ChainDefaults_AreTheConsensusDefaults()
    {
        var settings = Load(["--node-id", "n1"], $"actorchain.cluster.shared-secret = \"{Secret}\"", useReference: true);

        var defaults = new ActorChain.Consensus.Node.ConsensusOptions { NodeId = "n1" };
        Assert.Equal(defaults, settings.Chain.Consensus);
        var service = new ActorChain.Consensus.Actors.ChainServiceOptions { Consensus = defaults, Genesis = null!, SystemName = "s" };
        Assert.Equal((service.TickInterval, service.CompactAcceptorEveryBlocks), (settings.Chain.TickInterval, settings.Chain.CompactAcceptorEveryBlocks));
        Assert.Equal(service.JournalBatchWindow, settings.Chain.JournalBatchWindow);
        Assert.Equal(TimeSpan.FromMilliseconds(20), settings.Chain.JournalBatchWindow);
        Assert.Equal(3, settings.Chain.Consensus.BlockLingerMs);
        Assert.Equal((1024 * 1024, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5)), (settings.Gateway.MaxValueSize, settings.Gateway.WriteTimeout, settings.Gateway.ReadTimeout));
    }

    [Fact]
    public void Load_JournalBatchWindow_BindsFromHocon_AndZeroTurnsBatchingOff()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(50), Load([], $"actorchain {{ cluster.shared-secret = \"{Secret}\", chain.journal-batch-window = 50ms }}").Chain.JournalBatchWindow);
        Assert.Equal(TimeSpan.Zero, Load([], $"actorchain {{ cluster.shared-secret = \"{Secret}\", chain.journal-batch-window = 0ms }}").Chain.JournalBatchWindow);
    }

    [Fact]
    public void Load_BlockLinger_BindsFromHocon_AndZeroProposesAtOnce()
    {
        Assert.Equal(10, Load([], $"actorchain {{ cluster.shared-secret = \"{Secret}\", chain.block-linger = 10ms }}").Chain.Consensus.BlockLingerMs);
        Assert.Equal(0, Load([], $"actorchain {{ cluster.shared-secret = \"{Secret}\", chain.block-linger = 0ms }}").Chain.Consensus.BlockLingerMs);
    }

    [Fact]
    public void Load_NoInitialVoters_MeansThisNodeAlone()
    {
        var settings = Load(["--node-id", "solo"], $"actorchain.cluster.shared-secret = \"{Secret}\"", useReference: true);

        Assert.Equal(["solo"], settings.Chain.InitialVoters);
    }

    [Fact]
    public void Load_InitialVoters_FromEnvironmentVariables_GiveEveryNodeTheSameGenesis()
    {
        string[] variables = ["ACTORCHAIN__CHAIN__INITIALVOTERS__0", "ACTORCHAIN__CHAIN__INITIALVOTERS__1", "ACTORCHAIN__CHAIN__INITIALVOTERS__2"];
        var previous = variables.Select(Environment.GetEnvironmentVariable).ToArray();
        try
        {
            for (var i = 0; i < variables.Length; i++)
            {
                Environment.SetEnvironmentVariable(variables[i], $"node-{i + 1}");
            }

            var genesis = (string[])["node-1", "node-3"];
            var hashes = genesis.Select(id => Chain.NodeChain.Genesis(Load(["--node-id", id], $"actorchain.cluster.shared-secret = \"{Secret}\""))).ToArray();

            Assert.Equal(["node-1", "node-2", "node-3"], Load(["--node-id", "node-2"], $"actorchain.cluster.shared-secret = \"{Secret}\"").Chain.InitialVoters);
            Assert.Equal(hashes[0].Hash, hashes[1].Hash);
            Assert.Equal(0, hashes[0].Header.TimestampUnixMs);
        }
        finally
        {
            for (var i = 0; i < variables.Length; i++)
            {
                Environment.SetEnvironmentVariable(variables[i], previous[i]);
            }
        }
    }

    [Fact]
    public void Genesis_DependsOnTheClusterIdAndTheVoters()
    {
        NodeSettings With(string hocon) => Load(["--node-id", "n1"], $"actorchain {{ cluster.shared-secret = \"{Secret}\"\n{hocon} }}");

        var baseline = Chain.NodeChain.Genesis(With("cluster-id = a, chain.initial-voters = [n1, n2]")).Hash;

        Assert.Equal(baseline, Chain.NodeChain.Genesis(With("cluster-id = a, chain.initial-voters = [n1, n2]")).Hash);
        Assert.NotEqual(baseline, Chain.NodeChain.Genesis(With("cluster-id = b, chain.initial-voters = [n1, n2]")).Hash);
        Assert.NotEqual(baseline, Chain.NodeChain.Genesis(With("cluster-id = a, chain.initial-voters = [n1, n3]")).Hash);
    }

    [Fact]
    public void Load_MissingConfigFile_SaysWhichFile()
    {
        var missing = Path.Combine(_directory, "missing.conf");

        var e = Assert.Throws<NodeConfigurationException>(() => NodeSettings.Load(NodeCommandLine.Parse(["--config", missing]), _directory));

        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EnvironmentVariable_OverridesTheFile()
    {
        const string Variable = "ACTORCHAIN__NODE__HTTPPORT";
        var previous = Environment.GetEnvironmentVariable(Variable);
        Environment.SetEnvironmentVariable(Variable, "9555");
        try
        {
            var settings = Load(["--node-id", "n1"], $"actorchain {{ node.http-port = 1234, cluster.shared-secret = \"{Secret}\" }}");
            Assert.Equal(9555, settings.HttpPort);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, previous);
        }
    }

    [Fact]
    public void Load_LocalClusterConf_GivesTheRunShSettings()
    {
        var conf = Path.Combine(AppContext.BaseDirectory, "hocon", "local-cluster.conf");

        var settings = NodeSettings.Load(NodeCommandLine.Parse(["--config", conf, "--node-id", "node-1"]), _directory);

        Assert.Equal(["127.0.0.1:4053", "127.0.0.1:4054"], settings.Seeds.Select(s => s.ToString()));
        Assert.True(settings.SharedSecret.Length >= NodeSettings.MinSharedSecretBytes);
        Assert.True(settings.Cluster.Downing.KeepMajority.Enabled, "the demo cluster downs a partition's minority");
    }

    [Fact]
    public void Load_ReferenceConf_LeavesKeepMajorityDowningOff()
    {
        var settings = Load([], $"actorchain.cluster.shared-secret = \"{Secret}\"", useReference: true);

        Assert.False(settings.Cluster.Downing.KeepMajority.Enabled);
    }

    private NodeSettings Load(string[] args, string hocon, bool useReference = false)
    {
        if (useReference)
        {
            // The executable's own hocon/reference.conf with the test's lines appended after an include.
            File.Copy(Path.Combine(AppContext.BaseDirectory, "hocon", "reference.conf"), Path.Combine(_directory, "reference.conf"), overwrite: true);
            var conf = Path.Combine(_directory, "with-reference.conf");
            File.WriteAllText(conf, $"include required(\"reference.conf\")\n{hocon}\n");
            return NodeSettings.Load(NodeCommandLine.Parse([.. args, "--config", conf]), _directory);
        }

        var file = Path.Combine(_directory, "node.conf");
        File.WriteAllText(file, hocon);
        return NodeSettings.Load(NodeCommandLine.Parse([.. args, "--config", file]), _directory);
    }
}
