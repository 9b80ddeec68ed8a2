using ActorChain.Tests.Harness;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace ActorChain.Cli.Tests;

/// <summary>Three in-process voters on loopback for one test class; the CLI reaches them over HTTP like any node.</summary>
public sealed class ThreeNodeCluster(IMessageSink sink) : IAsyncLifetime
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly List<HttpClient> _http = [];

    internal MultiNodeCluster Cluster { get; } = new(new SinkOutput(sink));

    public IReadOnlyList<HttpClient> Http => _http;

    public IReadOnlyList<string> Urls => [.. _http.Select(h => h.BaseAddress!.ToString())];

    public string Node1 => Urls[0];

    /// <summary>Every node's address for <c>--nodes</c>.</summary>
    public string NodesArgument => string.Join(',', Urls);

    public async Task InitializeAsync()
    {
        await Cluster.StartAsync(3);
        await Cluster.AwaitMembersUpAsync(["n1", "n2", "n3"]);
        foreach (var name in (string[])["n1", "n2", "n3"])
        {
            _http.Add(new HttpClient { BaseAddress = Cluster[name].HttpAddress, Timeout = TimeSpan.FromSeconds(30) });
        }

        await AwaitReadyAsync(_http);
    }

    /// <summary>Ready: Up, and the chain has a quorum of voters behind it.</summary>
    public static async Task AwaitReadyAsync(IEnumerable<HttpClient> nodes)
    {
        foreach (var http in nodes)
        {
            await Eventually.UntilAsync(async () => (await http.GetAsync("/health/ready")).IsSuccessStatusCode, Wait, $"{http.BaseAddress} never became ready");
        }
    }

    public async Task DisposeAsync()
    {
        _http.ForEach(h => h.Dispose());
        await Cluster.DisposeAsync();
    }

    /// <summary>Node logs go to xUnit's diagnostic messages (a class fixture has no test output).</summary>
    internal sealed class SinkOutput(IMessageSink sink) : ITestOutputHelper
    {
        public void WriteLine(string message) => sink.OnMessage(new DiagnosticMessage(message));

        public void WriteLine(string format, params object[] args) => sink.OnMessage(new DiagnosticMessage(format, args));
    }
}
