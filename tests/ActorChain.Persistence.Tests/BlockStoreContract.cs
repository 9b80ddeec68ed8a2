using ActorChain.Chain;

namespace ActorChain.Persistence.Tests;

/// <summary>
/// What every block and snapshot backend must do (the storage TCK). A backend's test class
/// derives from this, opens its store over one location that survives <see cref="ReopenAsync"/>,
/// and knows how to tear its own last write.
/// </summary>
public abstract class BlockStoreContract : IAsyncLifetime
{
    private IBlockStore? _store;

    protected IBlockStore Store => _store ?? throw new InvalidOperationException("The store is not open.");

    /// <summary>Opens the block store over this test's storage location (the same location every time).</summary>
    protected abstract Task<IBlockStore> OpenBlockStoreAsync();

    protected abstract ISnapshotStore OpenSnapshotStore();

    /// <summary>With the block store closed, damages the last block's write as a crash mid-write would: <paramref name="bytesKept"/> of it survive.</summary>
    protected abstract Task TearLastWriteAsync(int bytesKept);

    /// <summary>The bytes the last block's write takes in the backend (what <see cref="TearLastWriteAsync"/> may keep less of).</summary>
    protected abstract int LastWriteSize(Block last);

    public async Task InitializeAsync() => _store = await OpenBlockStoreAsync();

    public virtual async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    protected async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        _store = null;
        _store = await OpenBlockStoreAsync();
    }

    protected async Task CloseAsync()
    {
        await Store.DisposeAsync();
        _store = null;
    }

    protected async Task OpenAgainAsync() => _store = await OpenBlockStoreAsync();

    [Fact]
    public void NewStore_IsEmpty()
    {
        Assert.Equal(-1, Store.Height);
        Assert.Equal(Hash256.Zero, Store.HeadHash);
        Assert.Null(Store.Corruption);
    }

    [Fact]
    public async Task Append_ThenRead_ReturnsTheSameBlocks()
    {
        var chain = TestChains.KvChain(5);
        await Store.AppendAsync(chain[0]);
        await Store.AppendAsync(chain.Skip(1).ToList());

        Assert.Equal(5, Store.Height);
        Assert.Equal(chain[^1].Hash, Store.HeadHash);
        for (var h = 0; h < chain.Count; h++)
        {
            Assert.Equal(BlockCodec.EncodeBlock(chain[h]), await Store.ReadEncodedAsync(h));
            Assert.Equal(chain[h].Hash, (await Store.ReadAsync(h))!.Hash);
        }

        var range = await Store.ReadRangeAsync(2, 10);
        Assert.Equal(chain.Skip(2).Select(b => b.Hash), range.Select(b => b.Hash));
        Assert.Equal(chain.Skip(1).Take(2).Select(BlockCodec.EncodeBlock), await Store.ReadEncodedRangeAsync(1, 2));
        Assert.Null(await Store.ReadAsync(6));
        Assert.Empty(await Store.ReadRangeAsync(6, 3));
    }

    [Fact]
    public async Task Append_AtWrongHeightOrLink_IsRefusedAndChangesNothing()
    {
        var chain = TestChains.KvChain(3);
        await Store.AppendAsync(chain.Take(2).ToList());
        var other = TestChains.Next(TestChains.Next(chain[0], proposer: "node-b"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.AppendAsync(chain[3]));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.AppendAsync(other));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.AppendAsync(chain[1]));
        var forged = new Block(chain[2].Header, chain[2].Entries, chain[3].Hash, ReadOnlyMemory<byte>.Empty);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.AppendAsync(forged));

        Assert.Equal(1, Store.Height);
        Assert.Equal(chain[1].Hash, Store.HeadHash);
        await Store.AppendAsync(chain[2]);
        Assert.Equal(chain[2].Hash, Store.HeadHash);
    }

    [Fact]
    public async Task Reopen_RecoversEveryBlockAndTheSameHead()
    {
        var chain = TestChains.KvChain(20);
        foreach (var block in chain)
        {
            await Store.AppendAsync(block);
        }

        var headBefore = Store.HeadHash;
        await ReopenAsync();

        Assert.Equal(20, Store.Height);
        Assert.Equal(headBefore, Store.HeadHash);
        Assert.Null(Store.Corruption);
        Assert.Equal(chain.Select(b => b.Hash), (await Store.ReadRangeAsync(0, 100)).Select(b => b.Hash));

        var next = TestChains.Next(chain[^1]);
        await Store.AppendAsync(next);
        await ReopenAsync();
        Assert.Equal(next.Hash, Store.HeadHash);
    }

    [Fact]
    public async Task TornLastWrite_IsCutOff_AndTheRestServed()
    {
        var chain = TestChains.KvChain(4);
        await Store.AppendAsync(chain);
        await CloseAsync();
        await TearLastWriteAsync(LastWriteSize(chain[^1]) / 2);
        await OpenAgainAsync();

        Assert.Equal(3, Store.Height);
        Assert.Equal(chain[3].Hash, Store.HeadHash);
        Assert.Null(Store.Corruption);
        Assert.Null(await Store.ReadAsync(4));
        await Store.AppendAsync(chain[4]);
        await ReopenAsync();
        Assert.Equal(chain[4].Hash, Store.HeadHash);
    }

    [Fact]
    public async Task TruncateAfter_ThenAppendAnotherFork_Persists()
    {
        var chain = TestChains.KvChain(6);
        await Store.AppendAsync(chain);
        await Store.TruncateAfterAsync(3);
        Assert.Equal(3, Store.Height);
        Assert.Equal(chain[3].Hash, Store.HeadHash);

        var fork = TestChains.Next(chain[3], proposer: "node-c");
        await Store.AppendAsync(fork);
        await ReopenAsync();
        Assert.Equal(4, Store.Height);
        Assert.Equal(fork.Hash, Store.HeadHash);
        Assert.Equal(fork.Hash, (await Store.ReadAsync(4))!.Hash);
    }

    [Fact]
    public async Task ConcurrentSnapshotWrites_OfOneHeight_LeaveExactlyOneWholeSnapshot()
    {
        var snapshots = OpenSnapshotStore();
        var contents = Enumerable.Range(0, 8).Select(i => Enumerable.Repeat((byte)(i + 1), 200_000 + i).ToArray()).ToArray();

        await Task.WhenAll(contents.Select(c => Task.Run(() => snapshots.SaveAsync(42, c))));

        var saved = await snapshots.ReadAsync(42);
        Assert.NotNull(saved);
        Assert.Contains(contents, c => c.AsSpan().SequenceEqual(saved));
        Assert.Equal([42L], await snapshots.ListHeightsAsync());
    }

    [Fact]
    public async Task Snapshots_AreListedInHeightOrder_AndDeletable()
    {
        var snapshots = OpenSnapshotStore();
        foreach (var height in new long[] { 30, 5, 1000, 200 })
        {
            await snapshots.SaveAsync(height, new byte[] { (byte)height });
        }

        Assert.Equal([5L, 30, 200, 1000], await snapshots.ListHeightsAsync());
        await snapshots.DeleteAsync(30);
        Assert.Equal([5L, 200, 1000], await snapshots.ListHeightsAsync());
        Assert.Null(await snapshots.ReadAsync(30));
        Assert.Equal(new byte[] { 200 }, await snapshots.ReadAsync(200));
    }
}
