using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using ActorChain.Cluster;
using ActorChain.Consensus.Actors;
using ActorChain.Node.Configuration;
using ActorChain.Node.Storage;
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

    private readonly NodeSettings _settings;
    private readonly Cluster.Cluster _cluster;
    private readonly RemoteClusterTransport _transport;
    private readonly NodeConsensusStore _store;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, string> _peers = new(StringComparer.Ordinal);
    private readonly HeadGossip _gossip;
    private readonly Task _refresher;
    private readonly AzureReplicator? _replicator;
    private readonly LocalSnapshotter? _snapshotter;
    private volatile IReadOnlySet<string> _voters;
    private volatile IReadOnlyDictionary<string, string> _peerAddresses = new Dictionary<string, string>();

    private NodeChain(
        NodeSettings settings, Cluster.Cluster cluster, RemoteClusterTransport transport, NodeConsensusStore store, ChainClient client, HeadGossip gossip, AzureReplicator? replicator, LocalSnapshotter? snapshotter, ILogger log)
    {
        _gossip = gossip;
        _replicator = replicator;
        _snapshotter = snapshotter;
        StorageHealth = replicator?.Health ?? StorageHealth.LocalOnly;
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

    /// <summary>Whether the remote storage (Azure) keeps up; always healthy for a node that keeps everything local.</summary>
    public StorageHealth StorageHealth { get; }

    /// <summary>The bad journal block found at start until the blocks re-fetched from peers have been written past it; null otherwise.</summary>
    public JournalCorruption? PendingRepair => _store.PendingRepair;

    /// <summary>The highest block a journal repair rewrote; -1 when none ran.</summary>
    public long RepairedThrough => _store.RepairedThrough;

    /// <summary>Where the chain started: the local snapshot it was restored from (-1: genesis) and the journal blocks replayed after it.</summary>
    public (long SnapshotHeight, long ReplayedBlocks) StartedFrom => _store.StartedFrom;

    /// <summary>The newest local ledger snapshot's height (saved or found at start); 0 before any, or when snapshots are off.</summary>
    public long LocalSnapshotHeight => _snapshotter?.LastHeight ?? 0;

    /// <summary>The Azure copies (archive, table mirror, snapshots); null for a node that keeps everything local.</summary>
    internal AzureReplicator? Replicator => _replicator;

    /// <summary>The height this node bootstrapped to from the blob snapshot; null when it did not.</summary>
    public long? BootstrappedAt { get; private init; }

    /// <summary>Block 0 of a cluster: the same on every node given the same cluster id and initial voters (its timestamp is 0).</summary>
    public static Block Genesis(NodeSettings settings) =>
        GenesisPayload.CreateGenesisBlock(settings.ClusterId, settings.Chain.InitialVoters, timestampUnixMs: 0, settings.Chain.VoterKeys);

    public static async Task<NodeChain> StartAsync(
        NodeSettings settings, Remoting remoting, Cluster.Cluster cluster, RemoteClusterTransport transport, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var log = loggerFactory.CreateLogger<NodeChain>();
        var azure = NodeStorage.CreateAzureStorage(settings);
        var gossip = new HeadGossip(remoting, settings.ClusterId);
        var store = await NodeConsensusStore.OpenAsync(settings, remoting.System, loggerFactory, cancellationToken);
        AzureReplicator? replicator = null;
        LocalSnapshotter? snapshotter = null;
        try
        {
            long? bootstrappedAt = null;
            if (azure is not null)
            {
                var o = azure.Options;
                StorageLog.AzureConfigured(log, settings.NodeId, o.Container, o.Table, o.TableJournal, o.BlobFiles, o.SnapshotInterval);
                if (o.Bootstrap && store.Blocks.Height < 0 && store.Blocks.Corruption is null)
                {
                    bootstrappedAt = await new SnapshotBootstrap(settings, azure, store, gossip, cluster, log).RunAsync(cancellationToken);
                }
            }

            var genesis = Genesis(settings);
            var options = new ChainServiceOptions
            {
                Consensus = settings.Chain.Consensus,
                Genesis = genesis,
                SystemName = settings.ClusterId,
                PeerAddresses = new Dictionary<string, string>(),
                TickInterval = settings.Chain.TickInterval,
                CompactAcceptorEveryBlocks = settings.Chain.CompactAcceptorEveryBlocks,
                JournalBatchWindow = settings.Chain.JournalBatchWindow,

                // Runs on the chain actor's thread once a block is durable: only signals to the copier and the snapshotter.
                OnBlockDurable = (_, _) =>
                {
                    Volatile.Read(ref replicator)?.Notify();
                    Volatile.Read(ref snapshotter)?.Notify();
                },
            };
            ChainClient client;
            try
            {
                client = await ChainClient.StartAsync(remoting, options, store, cancellationToken);
            }
            catch (InvalidOperationException e) when (e.Message.Contains("genesis", StringComparison.Ordinal))
            {
                throw new NodeConfigurationException(
                    $"the data directory {settings.DataDirectory} holds another cluster's chain ({e.Message}); actorchain.cluster-id, " +
                    "actorchain.chain.initial-voters (and signed-blocks and voter-keys) must be the ones it was created with, or give the node an empty data directory.");
            }

            var blocks = store.Blocks;
            gossip.AnswerBlockHashes(async height => (await blocks.ReadAsync(height))?.Hash.ToString());
            if (azure is not null)
            {
                Volatile.Write(ref replicator, new AzureReplicator(
                    settings.NodeId,
                    settings.ClusterId,
                    azure,
                    blocks,
                    async token => (await client.QueryAsync(LedgerSnapshot.Capture, token)).Encode(),
                    new StorageHealth(azure.Options.OutageGrace),
                    loggerFactory));
                replicator!.Start();
            }

            if (settings.Persistence.SnapshotInterval > 0)
            {
                var newest = (await store.Store.Snapshots.Store.ListHeightsAsync(cancellationToken)).DefaultIfEmpty(0).Max();
                Volatile.Write(ref snapshotter, new LocalSnapshotter(
                    settings.NodeId, store, client, settings.Persistence.SnapshotInterval, newest, loggerFactory.CreateLogger<LocalSnapshotter>()));
            }

            NodeLog.ChainStarted(log, settings.NodeId, client.Head.Height, client.Head.Hash.ToString(), genesis.Hash.ToString(), string.Join(",", settings.Chain.InitialVoters));
            return new NodeChain(settings, cluster, transport, store, client, gossip, replicator, snapshotter, log) { BootstrappedAt = bootstrappedAt };
        }
        catch
        {
            if (snapshotter is not null)
            {
                await snapshotter.DisposeAsync();
            }

            if (replicator is not null)
            {
                await replicator.DisposeAsync();
            }

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
    /// index, reached within <paramref name="timeout"/>) and its remote storage has not been failing
    /// longer than its grace: a node still catching up, one that cannot reach a quorum, or one whose
    /// Azure copies have been failing too long, is not ready.
    /// </summary>
    public async Task<(bool Ready, string Reason)> IsCaughtUpAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (StorageHealth.Check() is { Healthy: false } storage)
        {
            return (false, storage.Reason);
        }

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

    /// <summary>The chain's read index (the chain actor re-asks voters that have not answered).</summary>
    /// <exception cref="TimeoutException">No quorum answered (or the chain did not catch up) within <paramref name="timeout"/>.</exception>
    public async Task<long> ReadIndexAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await Client.WaitForReadIndexAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the chain (height {Client.Head.Height}) did not reach the read index of a quorum of voters within {timeout}");
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
        if (_snapshotter is not null)
        {
            await _snapshotter.DisposeAsync();
        }

        if (_replicator is not null)
        {
            await _replicator.DisposeAsync();
        }

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
