using ActorChain.Cluster;
using ActorChain.Node;
using ActorChain.Remote.Faults;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace ActorChain.Tests.Harness;

/// <summary>
/// N nodes in this process on loopback, each its own actor system, remoting and cluster over real
/// TCP, started through <see cref="ActorChainNode.StartAsync"/> exactly as the executable starts one.
/// Nodes are named n1, n2, …; the node id is the name.
/// </summary>
internal sealed class MultiNodeCluster(ITestOutputHelper output) : IAsyncDisposable
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(20);

    private readonly Dictionary<string, NodeSpec> _specs = [];
    private readonly Dictionary<string, ActorChainNode> _running = [];
    private readonly string _root = Directory.CreateTempSubdirectory("actorchain-multinode-").FullName;
    private IReadOnlyList<string> _voters = [];

    public ActorChainNode this[string name] =>
        _running.TryGetValue(name, out var node) ? node : throw new InvalidOperationException($"{name} is not running.");

    public IReadOnlyCollection<ActorChainNode> Running => _running.Values;

    public NodeSpec Spec(string name) => _specs[name];

    /// <summary>
    /// Defines nodes n1..n<paramref name="count"/> whose first <paramref name="seedCount"/> are the seeds, and starts them all at once.
    /// They are the chain's genesis voters; nodes defined later are learners of the same chain.
    /// </summary>
    public async Task StartAsync(int count, int seedCount = 2, Func<string, IReadOnlyDictionary<string, string?>>? overrides = null)
    {
        var names = Enumerable.Range(1, count).Select(i => $"n{i}").ToList();
        _voters = names;
        var ports = NodeSpec.FreePorts(2 * count);
        var seeds = Enumerable.Range(0, seedCount).Select(i => $"127.0.0.1:{ports[2 * i]}").ToList();
        for (var i = 0; i < count; i++)
        {
            Define(new NodeSpec(names[i], ports[2 * i], ports[(2 * i) + 1], Path.Combine(_root, names[i]), seeds, NodeSpec.WithVoters(names, overrides?.Invoke(names[i]))));
        }

        await Task.WhenAll(names.Select(StartNodeAsync));
    }

    public void Define(NodeSpec spec) => _specs[spec.Name] = spec;

    /// <summary>Defines one more node on free ports, its data under this cluster's temporary directory.</summary>
    public NodeSpec Define(string name, IReadOnlyList<string> seeds, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var ports = NodeSpec.FreePorts(2);
        var spec = new NodeSpec(name, ports[0], ports[1], Path.Combine(_root, name), seeds, NodeSpec.WithVoters(_voters.Count > 0 ? _voters : [name], overrides));
        Define(spec);
        return spec;
    }

    public async Task<ActorChainNode> StartNodeAsync(string name)
    {
        var spec = _specs[name];
        var node = await ActorChainNode.StartAsync(spec.Load(), new NodeStartOptions
        {
            ConfigureLogging = logging => logging.AddProvider(new TestOutputLoggerProvider(output, name)),
        });
        lock (_running)
        {
            _running[name] = node;
        }

        return node;
    }

    /// <summary>Stops a node; without <paramref name="leave"/> it vanishes as a crashed node would, telling no one.</summary>
    public async Task StopAsync(string name, bool leave = false)
    {
        var node = this[name];
        lock (_running)
        {
            _running.Remove(name);
        }

        if (leave)
        {
            await node.DisposeAsync();
        }
        else
        {
            await node.AbortAsync();
        }
    }

    /// <summary>Starts the node again on the same ports and data directory; it joins as a new incarnation.</summary>
    public Task<ActorChainNode> RestartAsync(string name) => StartNodeAsync(name);

    /// <summary>Barrier: waits until <paramref name="condition"/> holds on every node named (all running nodes by default).</summary>
    public Task AwaitAllAsync(Func<ActorChainNode, bool> condition, string what, IEnumerable<string>? on = null, TimeSpan? max = null)
    {
        var names = on?.ToList() ?? [.. _running.Keys];
        return Eventually.Until(
            () => names.All(n => condition(this[n])),
            max ?? DefaultWait,
            $"not every node of [{string.Join(", ", names)}] saw that {what}; members now: {Describe(names)}");
    }

    /// <summary>Every named node sees exactly <paramref name="expected"/> as its members, all Up and reachable.</summary>
    public Task AwaitMembersUpAsync(IReadOnlyCollection<string> expected, IEnumerable<string>? on = null, TimeSpan? max = null) =>
        AwaitAllAsync(
            node => node.Members() is var members && members.Length == expected.Count &&
                members.All(m => m.Status == nameof(MemberStatus.Up) && m.Reachable && m.NodeId is not null && expected.Contains(m.NodeId)),
            $"[{string.Join(", ", expected)}] are the members, all Up and reachable",
            on ?? expected,
            max);

    public T RunOn<T>(string name, Func<ActorChainNode, T> action) => action(this[name]);

    public void RunOn(string name, Action<ActorChainNode> action) => action(this[name]);

    /// <summary>Drops every envelope between the two nodes, both ways, on both ends (the TCP link itself stays up).</summary>
    public void Blackhole(string a, string b)
    {
        this[a].Remoting.Transport.Faults.Set(b, FaultDirection.Both, LinkFault.Blackhole);
        this[b].Remoting.Transport.Faults.Set(a, FaultDirection.Both, LinkFault.Blackhole);
    }

    public void Heal(string a, string b)
    {
        this[a].Remoting.Transport.Faults.Heal(b);
        this[b].Remoting.Transport.Faults.Heal(a);
    }

    public void Partition(IEnumerable<string> side1, IEnumerable<string> side2)
    {
        var right = side2.ToList();
        foreach (var a in side1)
        {
            foreach (var b in right)
            {
                Blackhole(a, b);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<ActorChainNode> nodes;
        lock (_running)
        {
            nodes = [.. _running.Values];
            _running.Clear();
        }

        await Task.WhenAll(nodes.Select(n => n.AbortAsync().AsTask()));
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Describe(IEnumerable<string> names) =>
        string.Join("; ", names.Where(_running.ContainsKey).Select(n =>
            $"{n}: " + string.Join(", ", this[n].Members().Select(m => $"{m.NodeId ?? m.Address} {m.Status}{(m.Reachable ? string.Empty : " unreachable")}"))));
}
