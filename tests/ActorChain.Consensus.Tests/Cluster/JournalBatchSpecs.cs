using ActorChain.Chain;
using ActorChain.Consensus.Actors;
using ActorChain.Consensus.Paxos;
using ActorChain.Remote.Actors;

namespace ActorChain.Consensus.Tests.Cluster;

/// <summary>
/// Decided blocks wait out the journal batch window after the last journal write and then share one
/// write; nothing waits for the journal meanwhile, the window's end writes them without new work, and a
/// due acceptor-log compaction does not wait for the window.
/// </summary>
public sealed class JournalBatchSpecs
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task BlocksDecidedWithinTheWindow_ShareOneJournalWrite_WrittenWhenTheWindowEnds()
    {
        var store = new CountingStore();
        await using var remoting = Remoting.Create(ChainCluster.SystemName, ChainCluster.Transport("solo", 0));
        var client = await StartAsync(remoting, store, TimeSpan.FromSeconds(3), compactEvery: 0);

        // Five clients one after another: five blocks, every client answered without waiting for the journal.
        for (var i = 1; i <= 5; i++)
        {
            Assert.Equal(i, (await client.SubmitAsync(TestChains.Put($"e{i}")).WaitAsync(Timeout)).Height);
        }

        // The first block found the journal idle and went at once; the other four wait for the window's end.
        await ChainCluster.Eventually(() => store.BlockCount == 6, Timeout, () => $"genesis and 5 blocks journaled; {store.BlockCount} stored after writes of {string.Join(",", store.WriteSizes)} blocks");
        Assert.Equal([1, 4], store.WriteSizes.Skip(1));
        Assert.Equal(5, client.Head.Height);
    }

    [Fact]
    public async Task DueCompaction_WritesTheJournalWithoutWaitingForTheWindow()
    {
        var store = new CountingStore();
        await using var remoting = Remoting.Create(ChainCluster.SystemName, ChainCluster.Transport("solo", 0));
        var client = await StartAsync(remoting, store, TimeSpan.FromSeconds(60), compactEvery: 2);

        for (var i = 1; i <= 6; i++)
        {
            await client.SubmitAsync(TestChains.Put($"c{i}")).WaitAsync(Timeout);
        }

        // With a 60 s window only the first block would be journaled by now; compaction needs the blocks journaled first.
        await ChainCluster.Eventually(
            () => store.Compactions > 0 && store.BlockCount >= 4,
            Timeout,
            () => $"a compaction after the journal caught up; {store.Compactions} compactions, {store.BlockCount} blocks stored");
    }

    [Fact]
    public async Task FlushJournal_SkipsTheWindow_AndAnswersOnceEveryBlockDecidedBeforeItIsJournaled()
    {
        var store = new CountingStore();
        await using var remoting = Remoting.Create(ChainCluster.SystemName, ChainCluster.Transport("solo", 0));
        var client = await StartAsync(remoting, store, TimeSpan.FromSeconds(60), compactEvery: 0);
        for (var i = 1; i <= 3; i++)
        {
            await client.SubmitAsync(TestChains.Put($"f{i}")).WaitAsync(Timeout);
        }

        Assert.Equal(3, await client.FlushJournalAsync().WaitAsync(Timeout));
        Assert.Equal(4, store.BlockCount);

        // Nothing left to write: answered at once with the same height.
        Assert.Equal(3, await client.FlushJournalAsync().WaitAsync(Timeout));
    }

    [Fact]
    public async Task ZeroWindow_WritesEachBlockAsSoonAsTheJournalIsIdle()
    {
        var store = new CountingStore();
        await using var remoting = Remoting.Create(ChainCluster.SystemName, ChainCluster.Transport("solo", 0));
        var client = await StartAsync(remoting, store, TimeSpan.Zero, compactEvery: 0);

        for (var i = 1; i <= 3; i++)
        {
            await client.SubmitAsync(TestChains.Put($"z{i}")).WaitAsync(Timeout);
            await ChainCluster.Eventually(() => store.BlockCount == i + 1, Timeout, () => $"block {i} journaled with no window; {store.BlockCount} stored");
        }
    }

    private static Task<ChainClient> StartAsync(Remoting remoting, IConsensusStore store, TimeSpan window, int compactEvery) =>
        ChainClient.StartAsync(remoting, ChainCluster.SoloOptions() with { JournalBatchWindow = window, CompactAcceptorEveryBlocks = compactEvery }, store);

    private sealed class CountingStore : IConsensusStore
    {
        private readonly InMemoryConsensusStore _inner = new();
        private readonly List<int> _writeSizes = [];
        private int _compactions;

        public int BlockCount => _inner.BlockCount;

        public int Compactions => Volatile.Read(ref _compactions);

        public IReadOnlyList<int> WriteSizes
        {
            get
            {
                lock (_writeSizes)
                {
                    return [.. _writeSizes];
                }
            }
        }

        public Task<ConsensusStoreState> LoadAsync(CancellationToken cancellationToken) => _inner.LoadAsync(cancellationToken);

        public Task PersistAcceptorAsync(IReadOnlyList<AcceptorRecord> records, CancellationToken cancellationToken) =>
            _inner.PersistAcceptorAsync(records, cancellationToken);

        public Task AppendBlocksAsync(IReadOnlyList<Block> blocks, CancellationToken cancellationToken)
        {
            lock (_writeSizes)
            {
                _writeSizes.Add(blocks.Count);
            }

            return _inner.AppendBlocksAsync(blocks, cancellationToken);
        }

        public Task CompactAcceptorAsync(IReadOnlyList<AcceptorRecord> live, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _compactions);
            return _inner.CompactAcceptorAsync(live, cancellationToken);
        }
    }
}
