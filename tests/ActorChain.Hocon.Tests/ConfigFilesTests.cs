using Microsoft.Extensions.Configuration;

namespace ActorChain.Hocon.Tests;

/// <summary>The repository's hocon/ files parse and bind to options shaped like the node's.</summary>
public sealed class ConfigFilesTests
{
    private static readonly string HoconFolder = FindHoconFolder();

    [Fact]
    public void ReferenceConf_BindsTheDocumentedDefaults()
    {
        var options = Bind(new ConfigurationBuilder().AddHoconFile(Path.Combine(HoconFolder, "reference.conf")));

        Assert.Equal("actorchain-local", options.ClusterId);
        Assert.Equal(string.Empty, options.Node.Id);
        Assert.Equal("127.0.0.1", options.Node.Hostname);
        Assert.Equal(4053, options.Node.Port);
        Assert.Equal(8081, options.Node.HttpPort);
        Assert.Equal("./data", options.Node.Data);
        Assert.Empty(options.Cluster.SeedNodes);
        Assert.Equal(string.Empty, options.Cluster.SharedSecret);
    }

    [Fact]
    public void ReferenceConf_HasACommentForEverySetting()
    {
        var lines = File.ReadAllLines(Path.Combine(HoconFolder, "reference.conf"));
        var settings = lines.Where(l => l.Contains(" = ", StringComparison.Ordinal) && !l.TrimStart().StartsWith('#')).ToList();

        Assert.NotEmpty(settings);
        Assert.All(settings, line => Assert.Contains(" # ", line, StringComparison.Ordinal));
    }

    [Fact]
    public void NodeConf_IncludesTheDefaults_AndTakesNodeSettingsFromTheEnvironment()
    {
        var path = Path.Combine(HoconFolder, "node.conf");
        var environment = new Dictionary<string, string>
        {
            ["ACTORCHAIN_NODE_ID"] = "node-2",
            ["ACTORCHAIN_HOSTNAME"] = "actorchain-1.actorchain",
            ["ACTORCHAIN_SHARED_SECRET"] = "s3cret",
            ["ACTORCHAIN_SEED_NODE_1"] = "actorchain-0.actorchain:4053",
            ["ACTORCHAIN_SEED_NODE_2"] = "actorchain-1.actorchain:4053",
        };

        var root = HoconParser.Parse(File.ReadAllText(path), path, name => environment.GetValueOrDefault(name));

        Assert.Equal("node-2", root.GetString("actorchain.node.id"));
        Assert.Equal("actorchain-1.actorchain", root.GetString("actorchain.node.hostname"));
        Assert.Equal("s3cret", root.GetString("actorchain.cluster.shared-secret"));
        Assert.Equal(["actorchain-0.actorchain:4053", "actorchain-1.actorchain:4053"], root.GetStringList("actorchain.cluster.seed-nodes"));
        Assert.Equal(4053, root.GetInt("actorchain.node.port"));
    }

    [Fact]
    public void NodeConf_WithoutEnvironment_KeepsTheDefaults()
    {
        var path = Path.Combine(HoconFolder, "node.conf");

        var root = HoconParser.Parse(File.ReadAllText(path), path, _ => null);

        Assert.Equal(string.Empty, root.GetString("actorchain.node.id"));
        Assert.Equal("127.0.0.1", root.GetString("actorchain.node.hostname"));
        Assert.Empty(root.GetStringList("actorchain.cluster.seed-nodes"));
    }

    [Fact]
    public void NodeConf_BindsThroughTheConfigurationProvider()
    {
        var options = Bind(new ConfigurationBuilder().AddHoconFile(Path.Combine(HoconFolder, "node.conf")));

        Assert.Equal("actorchain-local", options.ClusterId);
        Assert.Equal(4053, options.Node.Port);
        Assert.Equal(8081, options.Node.HttpPort);
        Assert.Equal("./data", options.Node.Data);
    }

    [Fact]
    public void LocalClusterConf_BindsTheLocalClusterSettings_AndRunShStyleSwitchesOverrideThem()
    {
        var mappings = new Dictionary<string, string>
        {
            ["--node-id"] = "actorchain:node:id",
            ["--port"] = "actorchain:node:port",
            ["--http-port"] = "actorchain:node:httpport",
            ["--data"] = "actorchain:node:data",
        };
        var builder = new ConfigurationBuilder()
            .AddHoconFile(Path.Combine(HoconFolder, "local-cluster.conf"))
            .AddCommandLine(["--node-id", "node-2", "--port", "4054", "--http-port", "8082", "--data", "./data/node-2"], mappings);

        var options = Bind(builder);

        Assert.Equal("actorchain-local", options.ClusterId);
        Assert.Equal("127.0.0.1", options.Node.Hostname);
        Assert.Equal("node-2", options.Node.Id);
        Assert.Equal(4054, options.Node.Port);
        Assert.Equal(8082, options.Node.HttpPort);
        Assert.Equal("./data/node-2", options.Node.Data);
        Assert.Equal(["127.0.0.1:4053", "127.0.0.1:4054"], options.Cluster.SeedNodes);
        Assert.NotEmpty(options.Cluster.SharedSecret);
    }

    private static ActorChainOptions Bind(IConfigurationBuilder builder) =>
        builder.Build().GetSection("actorchain").Get<ActorChainOptions>()
        ?? throw new InvalidOperationException("no actorchain section");

    private static string FindHoconFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ActorChain.sln")))
            {
                return Path.Combine(dir.FullName, "hocon");
            }
        }

        throw new InvalidOperationException($"no ActorChain.sln above {AppContext.BaseDirectory}");
    }

    public sealed class ActorChainOptions
    {
        public string ClusterId { get; set; } = "unset";

        public NodeOptions Node { get; set; } = new();

        public ClusterOptions Cluster { get; set; } = new();
    }

    public sealed class NodeOptions
    {
        public string Id { get; set; } = "unset";

        public string Hostname { get; set; } = "unset";

        public int Port { get; set; }

        public int HttpPort { get; set; }

        public string Data { get; set; } = "unset";
    }

    public sealed class ClusterOptions
    {
        public string[] SeedNodes { get; set; } = [];

        public string SharedSecret { get; set; } = "unset";
    }
}
