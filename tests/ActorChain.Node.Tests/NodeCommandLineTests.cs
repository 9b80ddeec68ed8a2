using ActorChain.Node.Configuration;

namespace ActorChain.Node.Tests;

public sealed class NodeCommandLineTests
{
    [Fact]
    public void Parse_EveryContractSwitch_MapsToItsConfigurationKey()
    {
        var line = NodeCommandLine.Parse(
            ["--config", "a.conf", "--node-id", "n1", "--hostname", "h", "--port", "5000", "--http-port", "9000", "--data", "/d", "--seeds", "x:1, y:2"]);

        Assert.Equal("a.conf", line.ConfigFile);
        Assert.Equal("n1", line.Overrides["actorchain:node:id"]);
        Assert.Equal("h", line.Overrides["actorchain:node:hostname"]);
        Assert.Equal("5000", line.Overrides["actorchain:node:port"]);
        Assert.Equal("9000", line.Overrides["actorchain:node:httpport"]);
        Assert.Equal("/d", line.Overrides["actorchain:node:data"]);
        Assert.Equal(["x:1", "y:2"], line.Seeds);
        Assert.False(line.ShowHelp);
    }

    [Fact]
    public void Parse_InlineValues_AreAccepted()
    {
        var line = NodeCommandLine.Parse(["--port=4100", "--seeds=a:1"]);

        Assert.Equal("4100", line.Overrides["actorchain:node:port"]);
        Assert.Equal(["a:1"], line.Seeds);
    }

    [Theory]
    [InlineData("--nodeid", "unknown option")]
    [InlineData("--port", "needs a value")]
    [InlineData("extra", "unknown option")]
    public void Parse_BadSwitch_IsAUsageError(string arg, string expected)
    {
        var e = Assert.Throws<NodeConfigurationException>(() => NodeCommandLine.Parse([arg]));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SwitchFollowedBySwitch_IsAUsageError()
    {
        var e = Assert.Throws<NodeConfigurationException>(() => NodeCommandLine.Parse(["--node-id", "--port", "1"]));
        Assert.Contains("'--node-id' needs a value", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptySeedList_IsAUsageError()
    {
        Assert.Throws<NodeConfigurationException>(() => NodeCommandLine.Parse(["--seeds", " , "]));
    }

    [Fact]
    public void Parse_Help_WinsOverEverythingElse()
    {
        Assert.True(NodeCommandLine.Parse(["--port", "1", "--help"]).ShowHelp);
    }
}
