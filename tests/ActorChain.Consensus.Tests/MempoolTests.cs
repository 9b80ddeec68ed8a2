using ActorChain.Chain;

namespace ActorChain.Consensus.Tests;

public sealed class MempoolTests
{
    [Fact]
    public void TryAdd_OfAnIdAlreadyWaiting_IsADuplicateAndKeepsTheFirst()
    {
        var pool = new Mempool(10, 10_000);
        pool.TryAdd(TestChains.Put("x", value: "first"), local: true, 0, out _);

        var admission = pool.TryAdd(TestChains.Put("x", value: "second"), local: true, 0, out _);

        Assert.Equal(MempoolAdmission.Duplicate, admission);
        Assert.Equal(1, pool.Count);
        Assert.Equal(TestChains.Put("x", value: "first").Payload.ToArray(), pool.Take(10, 10_000)[0].Payload.ToArray());
    }

    [Fact]
    public void TryAdd_BeyondTheEntryLimit_IsRejectedAsFullWithAClearMessage()
    {
        var pool = new Mempool(2, 10_000);
        pool.TryAdd(TestChains.Put("a"), true, 0, out _);
        pool.TryAdd(TestChains.Put("b"), true, 0, out _);

        var admission = pool.TryAdd(TestChains.Put("c"), true, 0, out var rejection);

        Assert.Equal(MempoolAdmission.Full, admission);
        Assert.Contains("mempool is full", rejection!.Message, StringComparison.Ordinal);
        Assert.Contains("'c'", rejection.Message, StringComparison.Ordinal);
        Assert.False(pool.Contains("c"));
    }

    [Fact]
    public void TryAdd_BeyondTheByteLimit_IsRejectedAsFull()
    {
        var size = BlockCodec.GetEntrySize(TestChains.Put("a"));
        var pool = new Mempool(100, (2 * size) + 1);
        pool.TryAdd(TestChains.Put("a"), true, 0, out _);
        pool.TryAdd(TestChains.Put("b"), true, 0, out _);

        Assert.Equal(MempoolAdmission.Full, pool.TryAdd(TestChains.Put("c"), true, 0, out _));
        Assert.Equal(2 * size, pool.Bytes);
    }

    [Fact]
    public void TryAdd_OfAnEntryLargerThanTheWholePool_IsRejectedAsTooLarge()
    {
        var pool = new Mempool(100, 10);

        Assert.Equal(MempoolAdmission.TooLarge, pool.TryAdd(TestChains.Put("a"), true, 0, out var rejection));
        Assert.Contains("at most 10 bytes", rejection!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Take_ReturnsTheOldestFirst_UpToTheEntryLimit_AndRemovesNothing()
    {
        var pool = Filled("a", "b", "c", "d");

        var taken = pool.Take(3, long.MaxValue);

        Assert.Equal(["a", "b", "c"], taken.Select(e => e.Id));
        Assert.Equal(4, pool.Count);
    }

    [Fact]
    public void Take_StopsBeforeTheByteLimit_ButAlwaysTakesOneEntry()
    {
        var pool = Filled("a", "b", "c");
        var size = BlockCodec.GetEntrySize(TestChains.Put("a"));

        Assert.Equal(["a", "b"], pool.Take(10, (2 * size) + 1).Select(e => e.Id));
        Assert.Equal(["a"], pool.Take(10, 1).Select(e => e.Id));
    }

    [Fact]
    public void Take_SkipsIdsAlreadyInTheChain()
    {
        var pool = Filled("a", "b", "c");

        Assert.Equal(["a", "c"], pool.Take(10, long.MaxValue, id => id == "b").Select(e => e.Id));
    }

    [Fact]
    public void Remove_OfDecidedIds_FreesTheirRoomAndLocalCount()
    {
        var pool = new Mempool(2, 10_000);
        pool.TryAdd(TestChains.Put("a"), local: true, 0, out _);
        pool.TryAdd(TestChains.Put("b"), local: false, 5, out _);

        Assert.Equal(1, pool.Remove(["a", "unknown"]));

        Assert.Equal(0, pool.LocalCount);
        Assert.Equal(5, pool.OldestArrivalMs);
        Assert.Equal(MempoolAdmission.Added, pool.TryAdd(TestChains.Put("c"), true, 0, out _));
        Assert.Equal(["b", "c"], pool.Take(10, long.MaxValue).Select(e => e.Id));
    }

    [Fact]
    public void MarkLocal_OfAForwardedEntry_CountsItAsLocalOnce()
    {
        var pool = new Mempool(10, 10_000);
        pool.TryAdd(TestChains.Put("a"), local: false, 0, out _);

        Assert.True(pool.MarkLocal("a"));
        Assert.True(pool.MarkLocal("a"));
        Assert.False(pool.MarkLocal("unknown"));

        Assert.Equal(1, pool.LocalCount);
        pool.Remove(["a"]);
        Assert.Equal(0, pool.LocalCount);
    }

    private static Mempool Filled(params string[] ids)
    {
        var pool = new Mempool(100, 100_000);
        foreach (var id in ids)
        {
            Assert.Equal(MempoolAdmission.Added, pool.TryAdd(TestChains.Put(id), true, 0, out _));
        }

        return pool;
    }
}
