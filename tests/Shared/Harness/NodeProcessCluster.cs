using Xunit.Abstractions;

namespace ActorChain.Tests.Harness;

/// <summary>
/// Three real node processes (<c>{prefix}1..3</c>) on free loopback ports, the first two the seeds
/// and all three the genesis voters, with their data under one temporary directory that goes
/// away with the cluster. Nothing starts until a spec calls <see cref="NodeProcess.Start"/>.
/// </summary>
internal sealed class NodeProcessCluster : IAsyncDisposable
{
    private readonly string _root;

    /// <remarks><c>settings</c>: configuration keys every node gets on top of the fast timers (e.g. a longer journal window).</remarks>
    public NodeProcessCluster(string prefix, ITestOutputHelper output, IReadOnlyDictionary<string, string?>? settings = null)
    {
        _root = Directory.CreateTempSubdirectory($"actorchain-{prefix}-processes-").FullName;
        var ports = NodeSpec.FreePorts(6);
        var seeds = new[] { $"127.0.0.1:{ports[0]}", $"127.0.0.1:{ports[2]}" };
        var names = Enumerable.Range(1, 3).Select(i => $"{prefix}{i}").ToList();
        Nodes = [.. names.Select((name, i) => new NodeProcess(
            new NodeSpec(name, ports[2 * i], ports[(2 * i) + 1], Path.Combine(_root, name), seeds, NodeSpec.WithVoters(names, settings)),
            output))];
    }

    public List<NodeProcess> Nodes { get; }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
