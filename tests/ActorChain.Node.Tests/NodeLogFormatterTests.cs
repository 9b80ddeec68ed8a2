using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ActorChain.Node.Tests;

public sealed class NodeLogFormatterTests
{
    [Fact]
    public void EveryLine_CarriesTheNodeId_AndAnExceptionStaysOnTheSameLine()
    {
        var formatter = new NodeLogFormatter(new StaticOptions(new NodeLogFormatterOptions { NodeId = "node-7" }));
        using var output = new StringWriter();

        formatter.Write(
            new LogEntry<string>(LogLevel.Warning, "ActorChain.Cluster", default, "member lost", new InvalidOperationException("boom\nsecond line"), (s, _) => s),
            null,
            output);

        var line = Assert.Single(output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("warn [node-7] ActorChain.Cluster: member lost", line, StringComparison.Ordinal);
        Assert.Contains("boom | second line", line, StringComparison.Ordinal);
    }

    private sealed class StaticOptions(NodeLogFormatterOptions value) : IOptionsMonitor<NodeLogFormatterOptions>
    {
        public NodeLogFormatterOptions CurrentValue => value;

        public NodeLogFormatterOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<NodeLogFormatterOptions, string?> listener) => null;
    }
}
