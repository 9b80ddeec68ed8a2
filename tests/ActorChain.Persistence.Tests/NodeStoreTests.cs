using ActorChain.Chain;

namespace ActorChain.Persistence.Tests;

public sealed class NodeStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task EmptyDataDirectory_RecoversAnEmptyLedger()
    {
        await using var store = await NodeStore.OpenAsync(_directory.Path);
        Assert.Equal(-1, store.Recovery.Height);
        Assert.Equal(-1, store.Recovery.SnapshotHeight);
        Assert.Null(store.Recovery.Corruption);
        Assert.Empty(store.Acceptor.Replayed);
    }

    [Fact]
    public async Task SnapshotPlusJournalTail_EqualsFullReplay()
    {
        var history = new RandomLedgerHistory(99);
        for (var i = 0; i < 60; i++)
        {
            history.NextBlock();
        }

        await using (var store = await NodeStore.OpenAsync(_directory.Path, new NodeStoreOptions { Snapshots = new SnapshotOptions { Interval = 25 } }))
        {
            var ledger = store.Recovery.Ledger;
            foreach (var block in history.Blocks)
            {
                await store.Blocks.AppendAsync(block);
                ledger.Apply(block);
                if (store.Snapshots.IsDue(block.Height))
                {
                    await store.Snapshots.SaveAsync(ledger);
                }
            }

            await store.Acceptor.AppendAsync(new byte[] { 1, 2, 3 });
        }

        var logger = new ListLogger();
        await using var reopened = await NodeStore.OpenAsync(_directory.Path, loggerFactory: new ListLoggerFactory(logger));
        var recovery = reopened.Recovery;
        Assert.Equal(50, recovery.SnapshotHeight);
        Assert.Equal(10, recovery.ReplayedBlocks);
        Assert.Equal(60, recovery.Height);
        Assert.Equal(history.Blocks[^1].Hash, recovery.HeadHash);
        Assert.Equal(TestChains.Replay(history.Blocks).ComputeStateDigest(), recovery.Ledger.ComputeStateDigest());
        Assert.Equal([new byte[] { 1, 2, 3 }], reopened.Acceptor.Replayed);
        Assert.True(logger.Has(6000) && logger.Has(6022) && logger.Has(6030));
    }

    [Fact]
    public async Task DamagedLatestSnapshot_FallsBack_AndStillEqualsFullReplay()
    {
        var chain = TestChains.KvChain(30);
        await using (var store = await NodeStore.OpenAsync(_directory.Path))
        {
            await store.Blocks.AppendAsync(chain);
            await store.Snapshots.SaveAsync(TestChains.Replay(chain.Take(11)));
            await store.Snapshots.SaveAsync(TestChains.Replay(chain.Take(21)));
        }

        var latest = Path.Combine(_directory.Path, "snapshots", "snapshot-20.bin");
        var bytes = await File.ReadAllBytesAsync(latest);
        bytes[100] ^= 0xFF;
        await File.WriteAllBytesAsync(latest, bytes);

        await using var reopened = await NodeStore.OpenAsync(_directory.Path);
        Assert.Equal(10, reopened.Recovery.SnapshotHeight);
        Assert.Equal(TestChains.Replay(chain).ComputeStateDigest(), reopened.Recovery.Ledger.ComputeStateDigest());
    }

    [Fact]
    public async Task SnapshotOfAnotherFork_IsSkipped()
    {
        var chain = TestChains.KvChain(12);
        var fork = chain.Take(6).ToList();
        fork.Add(TestChains.Next(fork[^1], proposer: "node-b"));
        TestChains.Extend(fork, 3);
        await using (var store = await NodeStore.OpenAsync(_directory.Path))
        {
            await store.Blocks.AppendAsync(chain);
            await store.Snapshots.SaveAsync(TestChains.Replay(chain.Take(4)));
            await store.Snapshots.SaveAsync(TestChains.Replay(fork));
        }

        await using var reopened = await NodeStore.OpenAsync(_directory.Path);
        Assert.Equal(3, reopened.Recovery.SnapshotHeight);
        Assert.Equal(chain[^1].Hash, reopened.Recovery.HeadHash);
        Assert.Equal(TestChains.Replay(chain).ComputeStateDigest(), reopened.Recovery.Ledger.ComputeStateDigest());
    }

    [Fact]
    public async Task CorruptJournal_RecoversUpToTheBadBlock_AndReportsIt()
    {
        var chain = TestChains.KvChain(10);
        await using (var store = await NodeStore.OpenAsync(_directory.Path))
        {
            await store.Blocks.AppendAsync(chain);
            await store.Snapshots.SaveAsync(TestChains.Replay(chain.Take(4)));
        }

        var segment = Directory.GetFiles(Path.Combine(_directory.Path, "journal"), "*.seg").Single();
        var bytes = await File.ReadAllBytesAsync(segment);
        var start = Enumerable.Range(0, 7).Sum(h => 8 + BlockCodec.GetBlockSize(chain[h]));
        bytes[start + 30] ^= 0x01;
        await File.WriteAllBytesAsync(segment, bytes);

        await using var reopened = await NodeStore.OpenAsync(_directory.Path);
        Assert.Equal(7, reopened.Recovery.Corruption!.Height);
        Assert.Equal(6, reopened.Recovery.Height);
        Assert.Equal(3, reopened.Recovery.SnapshotHeight);
        Assert.Equal(TestChains.Replay(chain.Take(7)).ComputeStateDigest(), reopened.Recovery.Ledger.ComputeStateDigest());
    }
}

internal sealed class ListLoggerFactory(ListLogger logger) : Microsoft.Extensions.Logging.ILoggerFactory
{
    public void AddProvider(Microsoft.Extensions.Logging.ILoggerProvider provider)
    {
    }

    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => logger;

    public void Dispose()
    {
    }
}
