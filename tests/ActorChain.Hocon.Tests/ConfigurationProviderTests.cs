using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace ActorChain.Hocon.Tests;

public sealed class ConfigurationProviderTests : IDisposable
{
    private const string Sample = """
        actorchain {
          cluster-id = "test-cluster"
          node {
            id = node-1
            http-port = 8081
            verbose = on
            enabled = true
            heartbeat-interval = 5s
            standard-timeout = "00:00:07"
            max-frame-size = 4MiB
            buffer = 128000b
            nothing = null
          }
          cluster.seed-nodes = ["127.0.0.1:4053", "127.0.0.1:4054"]
        }
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Keys_AreFlattenedWithColons_DashesDropped_AndArraysIndexed()
    {
        var config = new ConfigurationBuilder().AddHoconString(Sample).Build();

        Assert.Equal("test-cluster", config["actorchain:clusterid"]);
        Assert.Equal("8081", config["actorchain:node:httpport"]);
        Assert.Equal("8081", config["ActorChain:Node:HttpPort"]);
        Assert.Null(config["actorchain:node:http-port"]);
        Assert.Equal("127.0.0.1:4053", config["actorchain:cluster:seednodes:0"]);
        Assert.Equal("127.0.0.1:4054", config["actorchain:cluster:seednodes:1"]);
        Assert.Equal("5s", config["actorchain:node:heartbeatinterval"]);
    }

    [Fact]
    public void NullValue_GivesAKeyWithANullValue()
    {
        var config = new ConfigurationBuilder().AddHoconString(Sample).Build();

        var pairs = config.AsEnumerable().ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);

        Assert.True(pairs.ContainsKey("actorchain:node:nothing"));
        Assert.Null(pairs["actorchain:node:nothing"]);
    }

    [Fact]
    public void Options_BindStringsNumbersBoolsDurationsSizesListsAndNestedObjects()
    {
        var config = new ConfigurationBuilder().AddHoconString(Sample).Build();

        var options = config.GetSection("actorchain").Get<SampleOptions>()!;

        Assert.Equal("test-cluster", options.ClusterId);
        Assert.Equal("node-1", options.Node.Id);
        Assert.Equal(8081, options.Node.HttpPort);
        Assert.True(options.Node.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Node.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(7), options.Node.StandardTimeout);
        Assert.Equal(new ByteSize(4 * 1024 * 1024), options.Node.MaxFrameSize);
        Assert.Equal(128_000, options.Node.Buffer.Bytes);
        Assert.Equal(["127.0.0.1:4053", "127.0.0.1:4054"], options.Cluster.SeedNodes);
    }

    [Fact]
    public void EnvironmentVariables_OverrideHoconValues()
    {
        var prefix = $"ACTORCHAIN_HOCON_TEST_{Guid.NewGuid():N}_";
        var port = prefix + "ACTORCHAIN__NODE__HTTPPORT";
        var interval = prefix + "ACTORCHAIN__NODE__HEARTBEATINTERVAL";
        Environment.SetEnvironmentVariable(port, "9999");
        Environment.SetEnvironmentVariable(interval, "250ms");
        try
        {
            var config = new ConfigurationBuilder()
                .AddHoconString(Sample)
                .AddEnvironmentVariables(prefix)
                .Build();

            var options = config.GetSection("actorchain").Get<SampleOptions>()!;

            Assert.Equal(9999, options.Node.HttpPort);
            Assert.Equal(TimeSpan.FromMilliseconds(250), options.Node.HeartbeatInterval);
            Assert.Equal("node-1", options.Node.Id);
        }
        finally
        {
            Environment.SetEnvironmentVariable(port, null);
            Environment.SetEnvironmentVariable(interval, null);
        }
    }

    [Fact]
    public void CommandLineSwitches_OverrideHoconValues()
    {
        var mappings = new Dictionary<string, string>
        {
            ["--http-port"] = "actorchain:node:httpport",
            ["--node-id"] = "actorchain:node:id",
            ["--max-frame-size"] = "actorchain:node:maxframesize",
        };

        var config = new ConfigurationBuilder()
            .AddHoconString(Sample)
            .AddCommandLine(["--http-port", "8090", "--node-id", "node-9", "--max-frame-size", "64K"], mappings)
            .Build();

        var options = config.GetSection("actorchain").Get<SampleOptions>()!;

        Assert.Equal(8090, options.Node.HttpPort);
        Assert.Equal("node-9", options.Node.Id);
        Assert.Equal(65_536, options.Node.MaxFrameSize.Bytes);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Node.HeartbeatInterval);
    }

    [Theory]
    [InlineData("on", true)]
    [InlineData("yes", true)]
    [InlineData("true", true)]
    [InlineData("off", false)]
    [InlineData("no", false)]
    [InlineData("false", false)]
    public void HoconBooleanWords_BindToBoolOptions(string word, bool expected)
    {
        var config = new ConfigurationBuilder().AddHoconString($"switches {{ enabled = {word} }}").Build();

        var options = config.GetSection("switches").Get<SwitchOptions>()!;

        Assert.Equal(expected, options.Enabled);
    }

    [Fact]
    public void NonBooleanWord_FailsABoolBinding()
    {
        var config = new ConfigurationBuilder().AddHoconString("switches.enabled = maybe").Build();

        Assert.Throws<InvalidOperationException>(() => config.GetSection("switches").Get<SwitchOptions>());
    }

    [Fact]
    public void BadDurationInOptions_FailsTheBinding()
    {
        var config = new ConfigurationBuilder().AddHoconString("actorchain.node.heartbeat-interval = 5 parsecs").Build();

        var error = Assert.Throws<InvalidOperationException>(() => config.GetSection("actorchain").Get<SampleOptions>());

        Assert.Contains("parsecs", error.InnerException?.Message ?? error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TimeSpanConverter_AcceptsHoconDurationsAndTheStandardFormat()
    {
        new ConfigurationBuilder().AddHoconString(string.Empty);
        var converter = TypeDescriptor.GetConverter(typeof(TimeSpan));

        Assert.Equal(TimeSpan.FromSeconds(5), converter.ConvertFromInvariantString("5s"));
        Assert.Equal(TimeSpan.FromMilliseconds(200), converter.ConvertFromInvariantString("200ms"));
        Assert.Equal(TimeSpan.FromMilliseconds(10), converter.ConvertFromInvariantString("10"));
        Assert.Equal(TimeSpan.FromSeconds(5), converter.ConvertFromInvariantString("00:00:05"));
        Assert.Equal(new TimeSpan(1, 2, 0, 0), converter.ConvertFromInvariantString("1.02:00:00"));
    }

    [Fact]
    public void ByteSizeConverter_ParsesHoconSizes()
    {
        var converter = TypeDescriptor.GetConverter(typeof(ByteSize));

        Assert.Equal(new ByteSize(4 * 1024 * 1024), converter.ConvertFromInvariantString("4MiB"));
        Assert.Equal(new ByteSize(1024), converter.ConvertFromInvariantString("1024"));
        Assert.Throws<FormatException>(() => converter.ConvertFromInvariantString("4 lightyears"));
    }

    [Fact]
    public void AddHoconFile_ReadsTheFileAndItsIncludes()
    {
        _dir.Write("defaults.conf", "actorchain.node { http-port = 1, id = from-defaults }");
        var main = _dir.Write("app.conf", "include \"defaults.conf\"\nactorchain.node.http-port = 2");

        var config = new ConfigurationBuilder().AddHoconFile(main).Build();

        Assert.Equal("2", config["actorchain:node:httpport"]);
        Assert.Equal("from-defaults", config["actorchain:node:id"]);
    }

    [Fact]
    public void AddHoconFile_WithARelativePath_UsesTheBasePath()
    {
        _dir.Write("conf/app.conf", "a = 1");

        var config = new ConfigurationBuilder().SetBasePath(_dir.Path).AddHoconFile("conf/app.conf").Build();

        Assert.Equal("1", config["a"]);
    }

    [Fact]
    public void AddHoconFile_Missing_FailsUnlessOptional()
    {
        var missing = Path.Combine(_dir.Path, "missing.conf");

        Assert.Throws<FileNotFoundException>(() => new ConfigurationBuilder().AddHoconFile(missing).Build());
        var config = new ConfigurationBuilder().AddHoconFile(missing, optional: true).Build();
        Assert.Empty(config.AsEnumerable());
    }

    [Fact]
    public void AddHoconFile_WithASyntaxError_ThrowsHoconExceptionWithTheLocation()
    {
        var file = _dir.Write("broken.conf", "a = 1\nb = [1, 2\n");

        var error = Assert.Throws<HoconException>(() => new ConfigurationBuilder().AddHoconFile(file).Build());

        Assert.Equal(file, error.FileName);
        Assert.Equal((2, 5), (error.Line, error.Column));
    }

    public sealed class SampleOptions
    {
        public string ClusterId { get; set; } = string.Empty;

        public SampleNodeOptions Node { get; set; } = new();

        public SampleClusterOptions Cluster { get; set; } = new();
    }

    public sealed class SampleNodeOptions
    {
        public string Id { get; set; } = string.Empty;

        public int HttpPort { get; set; }

        public bool Enabled { get; set; }

        public TimeSpan HeartbeatInterval { get; set; }

        public TimeSpan StandardTimeout { get; set; }

        public ByteSize MaxFrameSize { get; set; }

        public ByteSize Buffer { get; set; }
    }

    public sealed class SampleClusterOptions
    {
        public string[] SeedNodes { get; set; } = [];
    }
}

internal sealed class SwitchOptions
{
    public bool Enabled { get; set; } = true;
}
