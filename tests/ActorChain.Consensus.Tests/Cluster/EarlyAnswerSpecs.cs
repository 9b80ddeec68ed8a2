using System.Threading.Channels;
using ActorChain.Actors;
using ActorChain.Chain;
using ActorChain.Consensus.Actors;
using ActorChain.Consensus.Paxos;
using ActorChain.Consensus.Wire;
using ActorChain.Remote.Actors;
using static ActorChain.Consensus.Actors.ChainPeerProtocol;
using static ActorChain.Consensus.Paxos.PaxosProtocol;

namespace ActorChain.Consensus.Tests.Cluster;

/// <summary>
/// A client is answered once its entry's block is decided (the acceptor records that decided it are
/// durable), not once this node's journal has the block; what depends on an acceptor record still
/// waits for that record.
/// </summary>
public sealed class EarlyAnswerSpecs
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Submit_IsAnsweredOnceDecided_WhileTheBlocksJournalWriteIsStillBlocked()
    {
        var store = new GatedStore();
        await using var remoting = Remoting.Create(ChainCluster.SystemName, ChainCluster.Transport("solo", 0));
        var client = await StartAsync(remoting, store, ["solo"]);
        store.Blocks.Close();

        var result = await client.SubmitAsync(TestChains.Put("early", "k", "v")).WaitAsync(Timeout);

        Assert.Equal(1, result.Height);
        Assert.True(store.Blocks.Entered.Task.IsCompleted);
        Assert.Equal(1, store.BlockCount);
        Assert.Equal(1, client.Head.Height);
        Assert.Equal("v"u8.ToArray(), await client.ReadLocalAsync("k"));

        store.Blocks.Open();
        await ChainCluster.Eventually(
            () => store.BlockCount == 2,
            Timeout,
            () => $"the block journaled once the journal opened; {store.BlockCount} blocks stored");
    }

    [Fact]
    public async Task Submit_IsNotAnswered_BeforeTheAcceptanceThatDecidedItIsDurable()
    {
        var store = new GatedStore();
        await using var remoting = Remoting.Create(ChainCluster.SystemName, ChainCluster.Transport("solo", 0));
        var client = await StartAsync(remoting, store, ["solo"]);
        store.Records.Close();

        var submit = client.SubmitAsync(TestChains.Put("waits"));
        await store.Records.Entered.Task.WaitAsync(Timeout);

        // The actor handles messages one at a time: once this query is answered, the handler that started the write is done.
        await client.QueryAsync(_ => 0).WaitAsync(Timeout);
        Assert.False(submit.IsCompleted);

        store.Records.Open();
        Assert.Equal(1, (await submit.WaitAsync(Timeout)).Height);
    }

    [Fact]
    public async Task Promise_LeavesOnlyOnceItsRecordIsDurable_WhileRepliesThatNeedNoRecordLeaveAtOnce()
    {
        var store = new GatedStore();
        await using var peer = Remoting.Create(ChainCluster.SystemName, ChainCluster.Transport("peer", 0));
        ConsensusSerializers.Register(peer.Serializers);
        var inbox = Channel.CreateUnbounded<IConsensusMessage>();
        var probe = peer.System.ActorOf(Props.Create(() => new PeerProbe(inbox.Writer)), "chain");
        await using var remoting = Remoting.Create(ChainCluster.SystemName, ChainCluster.Transport("solo", 0));
        await StartAsync(
            remoting,
            store,
            ["solo", "peer", "absent"],
            new Dictionary<string, string> { ["peer"] = $"127.0.0.1:{peer.Transport.LocalAddress.Port}" });
        var solo = peer.Resolve($"actorchain://{ChainCluster.SystemName}@127.0.0.1:{remoting.Transport.LocalAddress.Port}/user/chain");
        store.Records.Close();

        var ballot = new Ballot(5, "peer");
        solo.Tell(new PeerEnvelope("peer", new Prepare(1, ballot)), probe);
        await store.Records.Entered.Task.WaitAsync(Timeout);

        // Replies to one peer leave in order over one link: the read index reply, sent at once, comes after anything sent before it.
        solo.Tell(new PeerEnvelope("peer", new ReadIndexQuery(42)), probe);
        var beforeReply = await ReadUntilAsync<ReadIndexReply>(inbox.Reader, r => r.RequestId == 42);
        Assert.DoesNotContain(beforeReply, m => m is Promise);

        store.Records.Open();
        var promised = await ReadUntilAsync<Promise>(inbox.Reader, p => p.Height == 1);
        Assert.Equal(ballot, ((Promise)promised[^1]).Ballot);
    }

    [Fact]
    public async Task Accepted_ForTheNextHeight_LeavesWhileTheDecidedBlockBelowIsStillBeingJournaled()
    {
        var store = new GatedStore();
        var genesis = TestChains.Genesis("solo", "peer", "absent");
        var first = TestChains.Next(genesis, "peer", TestChains.Put("e1"));
        var second = TestChains.Next(first, "peer", TestChains.Put("e2"));
        await using var peer = Remoting.Create(ChainCluster.SystemName, ChainCluster.Transport("peer", 0));
        ConsensusSerializers.Register(peer.Serializers);
        var inbox = Channel.CreateUnbounded<IConsensusMessage>();
        var probe = peer.System.ActorOf(Props.Create(() => new PeerProbe(inbox.Writer)), "chain");
        await using var remoting = Remoting.Create(ChainCluster.SystemName, ChainCluster.Transport("solo", 0));
        var client = await StartAsync(
            remoting,
            store,
            ["solo", "peer", "absent"],
            new Dictionary<string, string> { ["peer"] = $"127.0.0.1:{peer.Transport.LocalAddress.Port}" });
        var solo = peer.Resolve($"actorchain://{ChainCluster.SystemName}@127.0.0.1:{remoting.Transport.LocalAddress.Port}/user/chain");
        var ballot = new Ballot(5, "peer");
        solo.Tell(new PeerEnvelope("peer", new Accept(1, ballot, first)), probe);
        await ReadUntilAsync<Accepted>(inbox.Reader, a => a.Height == 1);
        store.Blocks.Close();

        solo.Tell(new PeerEnvelope("peer", new Decided(1, first)), probe);
        await store.Blocks.Entered.Task.WaitAsync(Timeout);
        solo.Tell(new PeerEnvelope("peer", new Accept(2, ballot, second)), probe);
        await ReadUntilAsync<Accepted>(inbox.Reader, a => a.Height == 2);

        Assert.Equal(1, store.BlockCount);
        Assert.Equal(1, client.Head.Height);
        store.Blocks.Open();
        await ChainCluster.Eventually(() => store.BlockCount == 2, Timeout, () => $"block 1 journaled; {store.BlockCount} blocks stored");
    }

    private static async Task<List<IConsensusMessage>> ReadUntilAsync<T>(ChannelReader<IConsensusMessage> reader, Func<T, bool> match)
        where T : IConsensusMessage
    {
        var seen = new List<IConsensusMessage>();
        while (true)
        {
            var message = await reader.ReadAsync().AsTask().WaitAsync(Timeout);
            seen.Add(message);
            if (message is T wanted && match(wanted))
            {
                return seen;
            }
        }
    }

    private static Task<ChainClient> StartAsync(Remoting remoting, IConsensusStore store, string[] voters, Dictionary<string, string>? peers = null) =>
        ChainClient.StartAsync(remoting, ChainCluster.SoloOptions(voters) with { PeerAddresses = peers ?? new Dictionary<string, string>() }, store);

    private sealed class PeerProbe : ReceiveActor
    {
        public PeerProbe(ChannelWriter<IConsensusMessage> inbox)
        {
            Receive<PeerEnvelope>(envelope => inbox.TryWrite(envelope.Message));
        }
    }

    /// <summary>Holds back the store's writes of one kind while closed; a stopping actor's token ends the wait.</summary>
    private sealed class Gate
    {
        private volatile TaskCompletionSource? _open;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Close() => _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Open() => _open?.TrySetResult();

        public async Task PassAsync(CancellationToken cancellationToken)
        {
            if (_open is { } open)
            {
                Entered.TrySetResult();
                await open.Task.WaitAsync(cancellationToken);
            }
        }
    }

    private sealed class GatedStore : IConsensusStore
    {
        private readonly InMemoryConsensusStore _inner = new();

        public Gate Blocks { get; } = new();

        public Gate Records { get; } = new();

        public int BlockCount => _inner.BlockCount;

        public Task<ConsensusStoreState> LoadAsync(CancellationToken cancellationToken) => _inner.LoadAsync(cancellationToken);

        public async Task PersistAcceptorAsync(IReadOnlyList<AcceptorRecord> records, CancellationToken cancellationToken)
        {
            await Records.PassAsync(cancellationToken);
            await _inner.PersistAcceptorAsync(records, cancellationToken);
        }

        public async Task AppendBlocksAsync(IReadOnlyList<Block> blocks, CancellationToken cancellationToken)
        {
            await Blocks.PassAsync(cancellationToken);
            await _inner.AppendBlocksAsync(blocks, cancellationToken);
        }

        public Task CompactAcceptorAsync(IReadOnlyList<AcceptorRecord> live, CancellationToken cancellationToken) =>
            _inner.CompactAcceptorAsync(live, cancellationToken);
    }
}
