using ActorChain.Actors;
using ActorChain.Chain.Ledger;
using ActorChain.Persistence.Actors;
using ActorChain.TestKit;
using static ActorChain.Persistence.Actors.JournalProtocol;
using static ActorChain.Persistence.Actors.SnapshotProtocol;

namespace ActorChain.Persistence.Tests;

/// <summary>The journal and snapshot actors answer every request with a success or a failure, in arrival order, and keep going after a failure.</summary>
public sealed class PersistenceActorTests : TestKitBase
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Persist_IsAnsweredOnceDurable_InArrivalOrder_AndARefusedOneFailsAlone()
    {
        await using var journal = await BlockJournal.OpenAsync(_directory.Combine("journal"));
        var actor = Sys.ActorOf(JournalActor.Props(journal));
        var chain = TestChains.KvChain(6);

        actor.Tell(new Persist(chain.Take(3).ToArray()), TestActor);
        actor.Tell(new Persist([chain[5]]), TestActor);
        actor.Tell(new Persist(chain.Skip(3).Take(3).ToArray()), TestActor);

        var first = ExpectMsg<PersistSucceeded>(timeout: Wait);
        var refused = ExpectMsg<PersistFailed>(timeout: Wait);
        var last = ExpectMsg<PersistSucceeded>(timeout: Wait);
        Assert.Equal((0L, 2L, chain[2].Hash), (first.FromHeight, first.ToHeight, first.HeadHash));
        Assert.Equal((5L, 5L), (refused.FromHeight, refused.ToHeight));
        Assert.IsType<InvalidOperationException>(refused.Cause);
        Assert.Equal((3L, 5L, chain[5].Hash), (last.FromHeight, last.ToHeight, last.HeadHash));
        Assert.Equal(5, journal.Height);
    }

    [Fact]
    public async Task ReadBlocks_AnswersWhatTheJournalHolds()
    {
        await using var journal = await BlockJournal.OpenAsync(_directory.Combine("journal"));
        var chain = TestChains.KvChain(4);
        await journal.AppendAsync(chain);
        var actor = Sys.ActorOf(JournalActor.Props(journal));

        var read = await actor.Ask<BlocksRead>(new ReadBlocks(2, 10), Wait);

        Assert.Equal(chain.Skip(2).Select(b => b.Hash), read.Blocks.Select(b => b.Hash));
    }

    [Fact]
    public async Task TruncateAfter_DropsTheBlocksAbove_SoTheNextPersistContinuesFromThere()
    {
        await using var journal = await BlockJournal.OpenAsync(_directory.Combine("journal"));
        var chain = TestChains.KvChain(5);
        await journal.AppendAsync(chain);
        var actor = Sys.ActorOf(JournalActor.Props(journal));

        var truncated = await actor.Ask<Truncated>(new TruncateAfter(2), Wait);
        var refused = await actor.Ask<TruncateFailed>(new TruncateAfter(-2), Wait);
        var persisted = await actor.Ask<PersistSucceeded>(new Persist(chain.Skip(3).ToArray()), Wait);

        Assert.Equal(2, truncated.Height);
        Assert.Equal(-2, refused.Height);
        Assert.Equal((3L, 5L, chain[5].Hash), (persisted.FromHeight, persisted.ToHeight, persisted.HeadHash));
    }

    [Fact]
    public async Task SaveSnapshot_ThenLoad_ReturnsIt_AndAFailingStoreAnswersSaveSnapshotFailed()
    {
        var ledger = TestChains.Replay(TestChains.KvChain(5));
        var saver = Sys.ActorOf(SnapshotActor.Props(new SnapshotStore(new FileSnapshotStore(_directory.Combine("snapshots")))));

        var saved = await saver.Ask<SaveSnapshotSucceeded>(SaveSnapshot.Of(ledger), Wait);
        var loaded = await saver.Ask<SnapshotLoaded>(new LoadSnapshot(), Wait);

        Assert.Equal(ledger.Height, saved.Height);
        Assert.Equal(ledger.HeadHash, loaded.Snapshot?.HeadHash);
        Assert.Equal(LedgerSnapshot.Encode(ledger), LedgerSnapshot.Encode(loaded.Snapshot!.Ledger));

        var broken = Sys.ActorOf(SnapshotActor.Props(new SnapshotStore(new FailingSnapshotStore())));
        var failed = await broken.Ask<SaveSnapshotFailed>(SaveSnapshot.Of(ledger), Wait);
        var mislabelled = await saver.Ask<SaveSnapshotFailed>(new SaveSnapshot(ledger.Height + 1, LedgerSnapshot.Encode(ledger)), Wait);

        Assert.IsType<IOException>(failed.Cause);
        Assert.IsType<ArgumentException>(mislabelled.Cause);
        Assert.Equal(ledger.Height, (await saver.Ask<SnapshotLoaded>(new LoadSnapshot(), Wait)).Snapshot?.Height);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _directory.Dispose();
    }

    private sealed class FailingSnapshotStore : ISnapshotStore
    {
        public Task SaveAsync(long height, ReadOnlyMemory<byte> snapshot, CancellationToken cancellationToken = default) =>
            Task.FromException(new IOException("disk full"));

        public Task<IReadOnlyList<long>> ListHeightsAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<long>>([]);

        public Task<byte[]?> ReadAsync(long height, CancellationToken cancellationToken = default) => Task.FromResult<byte[]?>(null);

        public Task DeleteAsync(long height, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
