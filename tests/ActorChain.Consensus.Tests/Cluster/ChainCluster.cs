using System.Diagnostics;
using System.Text;
using ActorChain.Actors;
using ActorChain.Chain;
using ActorChain.Consensus.Actors;
using ActorChain.Consensus.Node;
using ActorChain.Remote.Actors;
using ActorChain.Remote.Faults;
using ActorChain.Remote.Transport;

namespace ActorChain.Consensus.Tests.Cluster;

/// <summary>
/// Several nodes in one process, each an actor system with remoting on 127.0.0.1 and a chain actor
/// over real TCP, with shortened consensus timers. Every spec checks <see cref="ClusterSafety"/> on dispose.
/// </summary>
internal sealed class ChainCluster : IAsyncDisposable
{
    public const string SystemName = "actorchain";

    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("consensus-cluster-specs-secret!!");

    private readonly List<ChainNodeHandle> _nodes = [];

    private ChainCluster(Block genesis)
    {
        Genesis = genesis;
    }

    public Block Genesis { get; }

    public ClusterSafety Safety { get; } = new();

    public IReadOnlyList<ChainNodeHandle> Nodes => _nodes;

    public IEnumerable<ChainNodeHandle> Live => _nodes.Where(n => n.IsRunning);

    public static ConsensusOptions Options(string nodeId) => new()
    {
        NodeId = nodeId,
        AttemptTimeoutMs = 250,
        BackoffBaseMs = 2,
        BackoffCapMs = 60,
        ForeignEntryDelayMs = 100,
        StatusIntervalMs = 50,
        CatchUpTimeoutMs = 400,
        CatchUpBatchBlocks = 256,
    };

    /// <summary>
    /// Starts <paramref name="voters"/> voters n0..n(k-1) (the genesis voter set); <paramref name="store"/>
    /// gives each node its store (in memory by default).
    /// </summary>
    public static async Task<ChainCluster> StartAsync(int voters, Func<string, Task<IConsensusStore>>? store = null)
    {
        var ids = Enumerable.Range(0, voters).Select(i => $"n{i}").ToArray();
        var cluster = new ChainCluster(TestChains.Genesis(ids));
        foreach (var id in ids)
        {
            cluster._nodes.Add(new ChainNodeHandle(id, cluster, store ?? (_ => Task.FromResult<IConsensusStore>(new InMemoryConsensusStore()))));
        }

        foreach (var node in cluster._nodes)
        {
            node.Bind(0);
        }

        foreach (var node in cluster._nodes)
        {
            await node.StartChainAsync();
        }

        return cluster;
    }

    /// <summary>A node not in the genesis voter set that knows the addresses of the running nodes.</summary>
    public async Task<ChainNodeHandle> AddNodeAsync(string id, IConsensusStore store, bool knowsPeers = true)
    {
        var node = new ChainNodeHandle(id, this, _ => Task.FromResult(store)) { KnowsPeers = knowsPeers };
        _nodes.Add(node);
        node.Bind(0);
        await node.StartChainAsync();
        return node;
    }

    public IReadOnlyDictionary<string, string> AddressesExcept(string id) =>
        _nodes.Where(n => n.Id != id && n.Port != 0).ToDictionary(n => n.Id, n => $"127.0.0.1:{n.Port}");

    /// <summary>Blackholes every link between the two groups, both ways.</summary>
    public static void Partition(IEnumerable<ChainNodeHandle> left, IEnumerable<ChainNodeHandle> right)
    {
        var rights = right.ToList();
        foreach (var l in left)
        {
            foreach (var r in rights)
            {
                l.Remoting!.Transport.Faults.Set(r.Id, FaultDirection.Both, LinkFault.Blackhole);
                r.Remoting!.Transport.Faults.Set(l.Id, FaultDirection.Both, LinkFault.Blackhole);
            }
        }
    }

    public void HealAll()
    {
        foreach (var node in Live)
        {
            node.Remoting!.Transport.Faults.HealAll();
        }
    }

    /// <summary>Polls until every live node has the same head (height and hash) at or above <paramref name="atLeast"/>.</summary>
    public Task AwaitConvergedAsync(long atLeast, TimeSpan timeout) =>
        Eventually(
            () =>
            {
                var heads = Live.Select(n => n.Client!.Head).Distinct().ToList();
                return heads.Count == 1 && heads[0].Height >= atLeast;
            },
            timeout,
            () => $"all heads equal and at least {atLeast}; heads are {string.Join(", ", Live.Select(n => $"{n.Id}={n.Client!.Head.Height}"))}");

    /// <summary>Every live node's whole chain, block by block, is the same.</summary>
    public async Task AssertChainsIdenticalAsync()
    {
        var chains = new List<IReadOnlyList<Block>>();
        foreach (var node in Live)
        {
            chains.Add(await node.Client!.GetAllBlocksAsync());
        }

        for (var i = 1; i < chains.Count; i++)
        {
            Assert.Equal(chains[0].Count, chains[i].Count);
            Assert.Equal(chains[0].Select(b => b.Hash), chains[i].Select(b => b.Hash));
        }
    }

    /// <summary>The chain actor of node "solo" among <paramref name="voters"/> (default: it alone), for single-actor specs.</summary>
    public static ChainServiceOptions SoloOptions(params string[] voters) => new()
    {
        Consensus = Options("solo"),
        Genesis = TestChains.Genesis(voters.Length == 0 ? ["solo"] : voters),
        SystemName = SystemName,
    };

    public static async Task Eventually(Func<bool> condition, TimeSpan timeout, Func<string> what)
    {
        var clock = Stopwatch.StartNew();
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"Within {timeout.TotalSeconds:0.#} s this did not happen: {what()}.");
            }

            await poll.WaitForNextTickAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.StopAsync();
        }

        Safety.AssertSafe();
    }

    internal static RemoteTransportOptions Transport(string id, int port) => new()
    {
        NodeId = id,
        ClusterId = TestChains.ClusterId,
        SharedSecret = Secret,
        Hostname = "127.0.0.1",
        Port = port,
        ReconnectMinBackoff = TimeSpan.FromMilliseconds(20),
        ReconnectMaxBackoff = TimeSpan.FromMilliseconds(200),
    };
}

/// <summary>One node of a <see cref="ChainCluster"/>; it can be stopped and started again on the same port and store.</summary>
internal sealed class ChainNodeHandle(string id, ChainCluster cluster, Func<string, Task<IConsensusStore>> openStore)
{
    public string Id { get; } = id;

    public int Port { get; private set; }

    public Remoting? Remoting { get; private set; }

    public ChainClient? Client { get; private set; }

    public IConsensusStore? Store { get; private set; }

    public bool IsRunning => Client is not null;

    public bool KnowsPeers { get; init; } = true;

    public void Bind(int port)
    {
        Remoting = Remoting.Create(ChainCluster.SystemName, ChainCluster.Transport(Id, port), ActorSystemSettings.Default);
        Port = Remoting.Transport.LocalAddress.Port;
    }

    public async Task StartChainAsync()
    {
        Store = await openStore(Id);
        Client = await ChainClient.StartAsync(
            Remoting!,
            new ChainServiceOptions
            {
                Consensus = ChainCluster.Options(Id),
                Genesis = cluster.Genesis,
                SystemName = ChainCluster.SystemName,
                PeerAddresses = KnowsPeers ? cluster.AddressesExcept(Id) : new Dictionary<string, string>(),
                OnBlockDurable = cluster.Safety.OnBlockDurable,
                CompactAcceptorEveryBlocks = 16,
            },
            Store);
    }

    /// <summary>Stops the actor system and the transport, then closes the store (a clean crash: nothing unflushed is acknowledged).</summary>
    /// <summary>A graceful stop, as the node's: the journal takes what its batch window still holds first.</summary>
    public async Task StopAsync()
    {
        if (Client is { } client)
        {
            await client.FlushJournalAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        if (Remoting is { } remoting)
        {
            await remoting.DisposeAsync();
        }

        if (Store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        Remoting = null;
        Client = null;
        Store = null;
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        Bind(Port);
        await StartChainAsync();
    }
}
