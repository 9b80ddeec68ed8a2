using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using FsCheck;
using FsCheck.Fluent;

namespace ActorChain.Persistence.Tests;

public sealed class LedgerSnapshotTests
{
    [Fact]
    public void RoundTrip_OfRandomLedgers_GivesTheSameDigest_AndAppliesLaterBlocksIdentically()
    {
        var property = Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var history = new RandomLedgerHistory(seed);
            var original = TestChains.Replay(history.Blocks);
            var blocksBefore = Math.Abs(seed % 25);
            for (var i = 0; i < blocksBefore; i++)
            {
                original.Apply(history.NextBlock());
            }

            var bytes = LedgerSnapshot.Encode(original);
            var restored = LedgerSnapshot.Decode(bytes);
            Assert.Equal(original.ComputeStateDigest(), restored.ComputeStateDigest());
            Assert.Equal(bytes, LedgerSnapshot.Encode(restored));

            for (var i = 0; i < 10; i++)
            {
                var block = history.NextBlock();
                var expected = original.Apply(block);
                var actual = restored.Apply(block);
                Assert.Equal(expected.Outcomes, actual.Outcomes);
            }

            Assert.Equal(original.ComputeStateDigest(), restored.ComputeStateDigest());
            Assert.Equal(TestChains.Replay(history.Blocks).ComputeStateDigest(), restored.ComputeStateDigest());
            return true;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(60), property);
    }

    [Fact]
    public void Capture_IsUnaffectedByBlocksAppliedAfterIt_AndEncodesLikeEncode()
    {
        var history = new RandomLedgerHistory(777);
        var ledger = TestChains.Replay(history.Blocks);
        for (var i = 0; i < 15; i++)
        {
            ledger.Apply(history.NextBlock());
        }

        var expected = LedgerSnapshot.Encode(ledger);
        var captured = LedgerSnapshot.Capture(ledger);
        for (var i = 0; i < 15; i++)
        {
            ledger.Apply(history.NextBlock());
        }

        Assert.Equal(expected, captured.Encode());
        Assert.NotEqual(expected, LedgerSnapshot.Encode(ledger));
    }

    [Fact]
    public async Task Capture_OfALedgerLongerThanALogChunk_EncodedOnAnotherThreadWhileBlocksApply_IsTheStateAtTheCapture()
    {
        // More blocks and entries than one 2,048-item chunk of the append-only logs the capture keeps a prefix of.
        var history = new RandomLedgerHistory(4242);
        var ledger = TestChains.Replay(history.Blocks);
        for (var i = 0; i < 2_500; i++)
        {
            ledger.Apply(UniquePuts(ledger, i));
        }

        Assert.True(ledger.EntryCount > 2_048, $"only {ledger.EntryCount} entries");
        var expected = LedgerSnapshot.Encode(ledger);
        var captured = LedgerSnapshot.Capture(ledger);
        var encoding = Task.Run(captured.Encode);
        for (var i = 0; i < 2_500; i++)
        {
            ledger.Apply(UniquePuts(ledger, -i - 1));
        }

        Assert.Equal(expected, await encoding);
        Assert.Equal(expected, captured.Encode());
    }

    private static Block UniquePuts(LedgerState ledger, int block) =>
        Block.Create(ledger.Height + 1, ledger.HeadHash, 1_000 + ledger.Height + 1, "node-a",
        [
            .. Enumerable.Range(0, 3).Select(i => new Entry($"unique-{block}-{i}", EntryKind.KvPut, new KvPutPayload($"u{i}", new byte[] { (byte)i }).Encode(), "node-a", 0)),
        ]);

    [Fact]
    public void RestoredLedger_AnswersQueriesLikeTheOriginal()
    {
        var history = new RandomLedgerHistory(12345);
        for (var i = 0; i < 40; i++)
        {
            history.NextBlock();
        }

        var original = TestChains.Replay(history.Blocks);
        var restored = LedgerSnapshot.Decode(LedgerSnapshot.Encode(original));
        Assert.Equal(original.Height, restored.Height);
        Assert.Equal(original.HeadHash, restored.HeadHash);
        Assert.Equal(original.ClusterId, restored.ClusterId);
        Assert.Equal(original.Voters, restored.Voters);
        Assert.Equal(original.KeyCount, restored.KeyCount);
        Assert.Equal(original.FileCount, restored.FileCount);
        Assert.True(original.FileCount > 0 && original.KeyCount > 0, "the history should hold files and keys");
        for (var k = 0; k < 12; k++)
        {
            Assert.Equal(original.TryGetValue("k" + k, out var a), restored.TryGetValue("k" + k, out var b));
            Assert.Equal(a.ToArray(), b.ToArray());
        }

        var query = new FileQuery { Tags = ["beach"] };
        Assert.Equal(original.Search(query).Items.Select(f => f.FileId), restored.Search(query).Items.Select(f => f.FileId));
    }

    [Fact]
    public void FlippedByte_AnywhereInTheSnapshot_IsDetected()
    {
        var original = TestChains.Replay(TestChains.KvChain(3, entriesPerBlock: 2));
        var bytes = LedgerSnapshot.Encode(original);
        for (var i = 0; i < bytes.Length; i++)
        {
            var damaged = bytes.ToArray();
            damaged[i] ^= 0x01;
            Assert.False(LedgerSnapshot.TryDecode(damaged, out _, out var error), $"a flipped byte at {i} went unnoticed");
            Assert.NotNull(error);
        }
    }

    [Fact]
    public void TruncatedSnapshot_IsDetected()
    {
        var bytes = LedgerSnapshot.Encode(TestChains.Replay(TestChains.KvChain(2)));
        for (var length = 0; length < bytes.Length; length += 7)
        {
            Assert.False(LedgerSnapshot.TryDecode(bytes.AsSpan(0, length), out _, out _));
        }
    }

    [Fact]
    public void Encode_IsDeterministic_AcrossInsertionOrders()
    {
        var chain = TestChains.KvChain(10, entriesPerBlock: 5);
        var first = LedgerSnapshot.Encode(TestChains.Replay(chain));
        var second = LedgerSnapshot.Encode(TestChains.Replay(chain));
        Assert.Equal(first, second);
        LedgerSnapshot.ReadHeader(first, out var height, out var head);
        Assert.Equal(10, height);
        Assert.Equal(chain[^1].Hash, head);
    }

    [Fact]
    public void Encode_BeforeGenesis_Throws() =>
        Assert.Throws<InvalidOperationException>(() => LedgerSnapshot.Encode(new LedgerState()));
}
