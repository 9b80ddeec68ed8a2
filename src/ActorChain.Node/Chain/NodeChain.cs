using ActorChain.Chain;
using ActorChain.Cluster;
using ActorChain.Consensus.Actors;
using ActorChain.Node.Configuration;
using ActorChain.Persistence;
using ActorChain.Remote.Actors;

namespace ActorChain.Node.Chain;

/// <summary>
/// The node's chain: its store, the chain actor started on the node's remoting, the peer addresses
/// kept current from cluster membership, and the voter set and head the members endpoint reports.
/// </summary>
internal sealed class NodeChain : IMemberChainStatus, IAsyncDisposable
{
    // Membership changes reach the chain within this long; the voter set shown is this fresh too.
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(250);

    private static readonly TimeSpan ReadIndexAttempt = TimeSpan.FromMilliseconds(500);

    private readonly NodeSettings _settings;
    private readonly Cluster.Cluster _cluster;
    private readonly RemoteClusterTransport _transport;
    private readonly NodeConsensusStore _store;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, string> _peers = new(StringComparer.Ordinal);
    private readonly HeadGossip _gossip;
    private readonly Task _refresher;
    private volatile IReadOnlySet<string> _voters;
    private volatile IReadOnlyDictionary<string, string> _peerAddresses = new Dictionary<string, string>();

    private NodeChain(NodeSettings settings, Cluster.Cluster cluster, RemoteClusterTransport transport, NodeConsensusStore store, ChainClient client, HeadGossip gossip, ILogger log)
    {
        _gossip = gossip;
        _settings = settings;
        _cluster = cluster;
        _transport = transport;
        _store = store;
        Client = client;
        _log = log;
        _voters = settings.Chain.InitialVoters.ToHashSet(StringComparer.Ordinal);
        _refresher = RefreshLoopAsync();
    }

    public ChainClient Client { get; }

    public IChainService Service => Client;

    /// <summary>The chain's peers (node id → "host:port") as last given to it; the file replicator uses the same ones.</summary>
    public IReadOnlyDictionary<string, string> PeerAddresses => _peerAddresses;

    /// <summary>The durable blocks, for read-only checks such as /api/chain/verify; the chain actor is their only writer.</summary>
    public IBlockStore Blocks => _store.Blocks;

    /// <summary>Block 0 of a cluster: the same on every node given the same cluster id and initial voters (its timestamp is 0).</summary>
    public static Block Genesis(NodeSettings settings) =>
        GenesisPayload.CreateGenesisBlock(settings.ClusterId, settings.Chain.InitialVoters, timestampUnixMs: 0);

    public static async Task<NodeChain> StartAsync(
        NodeSettings settings, Remoting remoting, Cluster.Cluster cluster, RemoteClusterTransport transport, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var log = loggerFactory.CreateLogger<NodeChain>();
        var store = await NodeConsensusStore.OpenAsync(settings.DataDirectory, loggerFactory, cancellationToken);
        try
        {
            var genesis = Genesis(settings);
            var options = new ChainServiceOptions
            {
                Consensus = settings.Chain.Consensus,
                Genesis = genesis,
                SystemName = settings.ClusterId,
                PeerAddresses = new Dictionary<string, string>(),
                TickInterval = settings.Chain.TickInterval,
                CompactAcceptorEveryBlocks = settings.Chain.CompactAcceptorEveryBlocks,
            };
            ChainClient client;
            try
            {
                client = await ChainClient.StartAsync(remoting, options, store, cancellationToken);
            }
            catch (InvalidOperationException e) when (e.Message.Contains("genesis", StringComparison.Ordinal))
            {
                throw new NodeConfigurationException(
                    $"the data directory {settings.DataDirectory} holds another cluster's chain ({e.Message}); actorchain.cluster-id and " +
                    "actorchain.chain.initial-voters must be the ones it was created with, or give the node an empty data directory.");
            }

            NodeLog.ChainStarted(log, settings.NodeId, client.Head.Height, client.Head.Hash.ToString(), genesis.Hash.ToString(), string.Join(",", settings.Chain.InitialVoters));
            return new NodeChain(settings, cluster, transport, store, client, new HeadGossip(remoting, settings.ClusterId), log);
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>Voter from the ledger's current voter set; this node's own head, or the last head a peer gossiped (-1/null before the first).</summary>
    public MemberChainStatus Describe(string? nodeId, Member member)
    {
        var voter = nodeId is not null && _voters.Contains(nodeId);
        if (nodeId == _settings.NodeId)
        {
            var head = Client.Head;
            return new MemberChainStatus(voter, head.Height, head.Hash.ToString());
        }

        return nodeId is not null && _gossip.TryGetHead(nodeId, out var known)
            ? new MemberChainStatus(voter, known.Height, known.Hash)
            : new MemberChainStatus(voter, -1, null);
    }

    /// <summary>
    /// True when the chain runs and has every block a quorum of voters may have decided (the read
    /// index, reached within <paramref name="timeout"/>): a node still catching up, or one that
    /// cannot reach a quorum, is not ready.
    /// </summary>
    public async Task<(bool Ready, string Reason)> IsCaughtUpAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            var index = await ReadIndexAsync(timeout, cancellationToken);
            return (true, $"at height {Client.Head.Height}, read index {index}");
        }
        catch (ChainUnavailableException e)
        {
            return (false, e.Message);
        }
        catch (TimeoutException e)
        {
            return (false, e.Message);
        }
    }

    /// <summary>
    /// The chain's read index, asked again every <see cref="ReadIndexAttempt"/>: the chain asks the
    /// voters once per call, so a query sent before a voter became a peer, or lost, would wait forever.
    /// </summary>
    /// <exception cref="TimeoutException">No quorum answered (or the chain did not catch up) within <paramref name="timeout"/>.</exception>
    public async Task<long> ReadIndexAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"the chain (height {Client.Head.Height}) did not reach the read index of a quorum of voters within {timeout}");
            }

            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(left < ReadIndexAttempt ? left : ReadIndexAttempt);
            try
            {
                return await Client.WaitForReadIndexAsync(attempt.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _refresher;
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
        await _store.DisposeAsync();
    }

    private async Task RefreshLoopAsync()
    {
        using var timer = new PeriodicTimer(RefreshInterval);
        do
        {
            try
            {
                RefreshPeers();
                var head = Client.Head;
                _gossip.Tell(new NodeHead(_settings.NodeId, head.Height, head.Hash.ToString()));
                var voters = await Client.QueryAsync(ledger => ledger.Voters.ToArray(), _stopping.Token);
                _voters = voters.ToHashSet(StringComparer.Ordinal);
            }
            catch (ChainUnavailableException)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One failed round must not end the loop: the members view and peer list would freeze.
                NodeLog.ChainRefreshFailed(_log, _settings.NodeId, e);
            }
        }
        while (await timer.WaitForNextTickAsync(_stopping.Token));
    }

    // Members whose node id the transport learned in the handshake become chain peers; a moved
    // member (same id, new address) is updated. Peers are never removed: the chain layer keeps them.
    private void RefreshPeers()
    {
        Dictionary<string, string>? changed = null;
        foreach (var member in _cluster.State.Members)
        {
            if (member.Status is not (MemberStatus.Joining or MemberStatus.Up or MemberStatus.Leaving) || member.Address == _cluster.SelfAddress)
            {
                continue;
            }

            if (_transport.NodeIdOf(member.Address) is not { } nodeId || nodeId == _settings.NodeId)
            {
                continue;
            }

            var address = RemoteClusterTransport.ToRemoteAddress(member.Address).ToString();
            if (!_peers.TryGetValue(nodeId, out var known) || known != address)
            {
                _peers[nodeId] = address;
                _gossip.SetPeer(nodeId, address);
                (changed ??= new Dictionary<string, string>(StringComparer.Ordinal))[nodeId] = address;
            }
        }

        if (changed is not null)
        {
            NodeLog.ChainPeers(_log, _settings.NodeId, string.Join(", ", changed.Select(p => $"{p.Key}@{p.Value}")));
            Client.UpdatePeerAddresses(changed);
            _peerAddresses = new Dictionary<string, string>(_peers, StringComparer.Ordinal);
        }
    }
}
