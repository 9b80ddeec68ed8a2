using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using ActorChain.Consensus.Node;

namespace ActorChain.Consensus.Tests.Node;

public sealed class DecidedChainTests
{
    private static readonly Block Genesis = TestChains.Genesis("a", "b", "c");
    private static readonly List<Block> Blocks = TestChains.Chain(Genesis, 60);

    [Fact]
    public void Restore_FromALedgerAboveGenesis_AppliesOnlyTheTail_AndReadsOlderBlocksThroughTheReader()
    {
        var reads = new List<long>();
        var chain = DecidedChain.Restore(Blocks.Skip(20).Take(11).ToArray(), LedgerAt(20), Reader(reads), keepRecent: 100);

        Assert.Equal(30, chain.Head);
        Assert.Equal(Blocks[30].Hash, chain.HeadBlock.Hash);
        Assert.Equal(Replay(31).ComputeStateDigest(), chain.Ledger.ComputeStateDigest());
        Assert.True(chain.TryGetBlock(25, out var inMemory));
        Assert.Empty(reads);
        Assert.True(chain.TryGetBlock(5, out var older));
        Assert.Equal([5L], reads);
        Assert.Equal((Blocks[25].Hash, Blocks[5].Hash), (inMemory.Hash, older.Hash));
        Assert.False(chain.TryGetBlock(31, out _));
        Assert.False(chain.TryGetBlock(-1, out _));
    }

    [Fact]
    public void Append_WithAReader_KeepsOnlyTheRecentBlocksInMemory_ButEveryHeightStaysReadable()
    {
        var chain = DecidedChain.Restore([Blocks[0]], LedgerAt(0), Reader([]), keepRecent: 8);
        AppendJournaled(chain, Blocks.Skip(1));

        Assert.InRange(chain.Head - chain.FirstHeightInMemory + 1, 8, 16);
        AssertEveryHeightReadable(chain);
    }

    [Fact]
    public void Append_FromGenesis_WithAReader_KeepsOnlyTheRecentBlocksInMemory()
    {
        // A new node's chain starts from genesis, with no ledger: it must not keep every block it ever decides.
        var chain = DecidedChain.Restore([Blocks[0]], ledger: null, Reader([]), keepRecent: 8);
        AppendJournaled(chain, Blocks.Skip(1));

        Assert.InRange(chain.Head - chain.FirstHeightInMemory + 1, 8, 16);
        AssertEveryHeightReadable(chain);
    }

    [Fact]
    public void Restore_FromGenesis_OfALongJournal_KeepsOnlyTheRecentBlocksInMemory()
    {
        var reads = new List<long>();
        var chain = DecidedChain.Restore(Blocks, ledger: null, Reader(reads), keepRecent: 8);

        Assert.Equal(Blocks[^1].Height, chain.Head);
        Assert.InRange(chain.Head - chain.FirstHeightInMemory + 1, 8, 16);
        Assert.Empty(reads);
        AssertEveryHeightReadable(chain);
    }

    [Fact]
    public void Append_KeepsBlocksNotYetJournaled_InMemory_UntilTheyAre()
    {
        var chain = DecidedChain.Restore([Blocks[0]], ledger: null, Reader([]), keepRecent: 8);
        foreach (var block in Blocks.Skip(1).Take(40))
        {
            chain.Append(block);
        }

        // Only the genesis the chain was restored from is in the journal; the reader could not bring back the others.
        Assert.Equal(1, chain.FirstHeightInMemory);

        chain.MarkDurable(30);
        chain.Append(Blocks[41]);

        Assert.Equal(31, chain.FirstHeightInMemory);
        AssertEveryHeightReadable(chain, through: 41);
    }

    [Fact]
    public void Append_WithoutAReader_KeepsEveryBlockInMemory()
    {
        var chain = DecidedChain.Restore(Blocks);

        Assert.Equal(0, chain.FirstHeightInMemory);
        Assert.All(Enumerable.Range(0, Blocks.Count), h => Assert.True(chain.TryGetBlock(h, out _)));
    }

    [Fact]
    public void Restore_WithALedgerThatIsNotAtTheFirstBlock_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => DecidedChain.Restore(Blocks.Skip(21).ToArray(), LedgerAt(20)));

        Assert.Contains("ledger is at block 20", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_WithABrokenTailAfterTheLedger_IsRefused()
    {
        var tail = new[] { Blocks[20], Blocks[22] };

        var error = Assert.Throws<ArgumentException>(() => DecidedChain.Restore(tail, LedgerAt(20)));

        Assert.Contains("journaled chain is broken", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryGetBlock_WhenTheReaderAnswersAnotherHeight_IsFalse()
    {
        var chain = DecidedChain.Restore([Blocks[20]], LedgerAt(20), _ => Blocks[3]);

        Assert.False(chain.TryGetBlock(7, out _));
    }

    private static void AppendJournaled(DecidedChain chain, IEnumerable<Block> blocks)
    {
        foreach (var block in blocks)
        {
            Assert.Null(chain.CheckNext(block));
            chain.Append(block);
            chain.MarkDurable(block.Height);
        }
    }

    private static void AssertEveryHeightReadable(DecidedChain chain, int? through = null)
    {
        for (var height = 0; height <= (through ?? Blocks.Count - 1); height++)
        {
            Assert.True(chain.TryGetBlock(height, out var block));
            Assert.Equal(Blocks[height].Hash, block.Hash);
        }
    }

    private static LedgerState LedgerAt(long height) => Replay((int)height + 1);

    private static LedgerState Replay(int count)
    {
        var ledger = new LedgerState();
        foreach (var block in Blocks.Take(count))
        {
            ledger.Apply(block);
        }

        return ledger;
    }

    private static Func<long, Block?> Reader(List<long> reads) => height =>
    {
        reads.Add(height);
        return height >= 0 && height < Blocks.Count ? Blocks[(int)height] : null;
    };
}
