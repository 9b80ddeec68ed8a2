using ActorChain.Chain;
using ActorChain.Consensus.Actors;
using ActorChain.Consensus.Paxos;
using ActorChain.Remote.Actors;

namespace ActorChain.Consensus.Tests.Cluster;

/// <summary>One chain actor alone (its peers never start), for what a client sees when the node cannot commit.</summary>
public sealed class ChainActorSpecs
{
    [Fact]
    public async Task Submit_WhenTheMempoolIsFull_FailsWithMempoolFullAndStoresNothing()
    {
        await using var remoting = Remoting.Create(ChainCluster.SystemName, ChainCluster.Transport("solo", 0));
        var client = await StartAsync(remoting, new InMemoryConsensusStore(), mempoolMaxEntries: 1);

        var waiting = client.SubmitAsync(TestChains.Put("first"));
        var error = await Assert.ThrowsAsync<SubmissionRejectedException>(() => client.SubmitAsync(TestChains.Put("second")));

        Assert.True(error.IsMempoolFull);
        Assert.Equal("second", error.EntryId);
        Assert.False(waiting.IsCompleted);
    }

    [Fact]
    public async Task Submit_WhenTheStoreFails_StopsTheChainAndFailsWaitingClients()
    {
        await using var remoting = Remoting.Create(ChainCluster.SystemName, ChainCluster.Transport("solo", 0));
        var client = await StartAsync(remoting, new FailingStore(), mempoolMaxEntries: 100, voters: ["solo"]);

        await Assert.ThrowsAsync<ChainUnavailableException>(() => client.SubmitAsync(TestChains.Put("lost")).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Throws<ChainUnavailableException>(() => client.SubmitAsync(TestChains.Put("after")).GetAwaiter().GetResult());
    }

    [Fact]
    public async Task Submit_OfAnEntryAlreadyInTheChain_ReturnsItsOriginalLocation()
    {
        await using var remoting = Remoting.Create(ChainCluster.SystemName, ChainCluster.Transport("solo", 0));
        var client = await StartAsync(remoting, new InMemoryConsensusStore(), mempoolMaxEntries: 100, voters: ["solo"]);
        var first = await client.SubmitAsync(TestChains.Put("once", "k", "1"));
        await client.SubmitAsync(TestChains.Put("other", "k", "2"));

        var retry = await client.SubmitAsync(TestChains.Put("once", "k", "1"));

        Assert.Equal(first, retry);
        Assert.Equal(2, client.Head.Height);
        Assert.Equal("2"u8.ToArray(), await client.ReadLocalAsync("k"));
        Assert.Equal(first.BlockHash, (await client.GetBlockAsync(first.Height))!.Hash);
        Assert.Equal([1L, 2L], (await client.GetBlocksAsync(1, 10)).Select(b => b.Height));
    }

    [Fact]
    public async Task AcceptorLog_AfterManyDecisions_IsCompactedToTheLiveStateAndStillRestores()
    {
        var store = new InMemoryConsensusStore();
        await using (var remoting = Remoting.Create(ChainCluster.SystemName, ChainCluster.Transport("solo", 0)))
        {
            var client = await StartAsync(remoting, store, mempoolMaxEntries: 100, voters: ["solo"], compactEvery: 8);
            for (var i = 0; i < 40; i++)
            {
                await client.SubmitAsync(TestChains.Put($"c-{i}"));
            }
        }

        // Each decision of a lone voter persists three records (round used, promise, accept); the last compaction leaves fewer than 8 decisions' worth.
        Assert.InRange(store.AcceptorRecordCount, 1, 3 * 8);
        await using var again = Remoting.Create(ChainCluster.SystemName, ChainCluster.Transport("solo", 0));
        var restarted = await StartAsync(again, store, mempoolMaxEntries: 100, voters: ["solo"], compactEvery: 8);
        var next = await restarted.SubmitAsync(TestChains.Put("after-compaction"));
        Assert.Equal(41, next.Height);
    }

    [Fact]
    public async Task AnIdleChain_StopsTicking_UntilWorkArrives_ThenTicksAndCommitsAgain()
    {
        await using var remoting = Remoting.Create(ChainCluster.SystemName, ChainCluster.Transport("solo", 0));
        var client = await ChainClient.StartAsync(
            remoting,
            new ChainServiceOptions
            {
                // No head status is due for a minute and an entry is held for its leader 20 ms: once those 20 ms are over, nothing is due.
                Consensus = ChainCluster.Options("solo") with { StatusIntervalMs = 60_000, LeaderPatienceMs = 20 },
                Genesis = TestChains.Genesis("solo"),
                SystemName = ChainCluster.SystemName,
                TickInterval = TimeSpan.FromMilliseconds(5),
            },
            new InMemoryConsensusStore());
        await client.SubmitAsync(TestChains.Put("first"));

        // Settled once 100 ms pass without a tick (bounded: a node that never goes idle fails below); busy, the
        // 5 ms tick would then fire about 60 times in 300 ms.
        var idleFrom = client.Metrics.Ticks;
        for (var waited = 0; waited < 10_000; waited += 100)
        {
            await Task.Delay(100);
            if (client.Metrics.Ticks == idleFrom)
            {
                break;
            }

            idleFrom = client.Metrics.Ticks;
        }

        await Task.Delay(300);
        Assert.Equal(idleFrom, client.Metrics.Ticks);

        var next = await client.SubmitAsync(TestChains.Put("after-idle")).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, next.Height);
        Assert.True(
            SpinWait.SpinUntil(() => client.Metrics.Ticks > idleFrom, TimeSpan.FromSeconds(10)),
            "the entry held for its leader did not bring the tick back");
    }

    private static Task<ChainClient> StartAsync(Remoting remoting, IConsensusStore store, int mempoolMaxEntries, string[]? voters = null, int compactEvery = 1024) =>
        ChainClient.StartAsync(
            remoting,
            new ChainServiceOptions
            {
                Consensus = ChainCluster.Options("solo") with { MempoolMaxEntries = mempoolMaxEntries },
                Genesis = TestChains.Genesis(voters ?? ["solo", "absent-1", "absent-2"]),
                SystemName = ChainCluster.SystemName,
                CompactAcceptorEveryBlocks = compactEvery,
            },
            store);

    private sealed class FailingStore : IConsensusStore
    {
        private readonly InMemoryConsensusStore _inner = new();

        public Task<ConsensusStoreState> LoadAsync(CancellationToken cancellationToken) => _inner.LoadAsync(cancellationToken);

        public Task PersistAcceptorAsync(IReadOnlyList<AcceptorRecord> records, CancellationToken cancellationToken) =>
            Task.FromException(new IOException("disk gone"));

        public Task AppendBlocksAsync(IReadOnlyList<Block> blocks, CancellationToken cancellationToken) =>
            _inner.AppendBlocksAsync(blocks, cancellationToken);

        public Task CompactAcceptorAsync(IReadOnlyList<AcceptorRecord> live, CancellationToken cancellationToken) =>
            _inner.CompactAcceptorAsync(live, cancellationToken);
    }
}
