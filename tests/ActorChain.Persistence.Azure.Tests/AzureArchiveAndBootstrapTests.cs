using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using ActorChain.Persistence.Tests;

namespace ActorChain.Persistence.Azure.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class AzureArchiveAndBootstrapTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly AzureStorage _storage = azurite.NewStorage();

    public Task InitializeAsync() => _storage.EnsureCreatedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ArchivedBatches_AreListedInOrder_AndReadBackAsTheSameVerifiedChain()
    {
        var chain = TestChains.KvChain(9);
        var archive = new AzureBlockArchive(_storage, "node-a");
        Assert.True(await archive.ArchiveAsync(chain.Skip(5).ToList()));
        Assert.True(await archive.ArchiveAsync(chain.Take(5).ToList()));
        Assert.False(await archive.ArchiveAsync(chain.Take(5).ToList()));

        var segments = await archive.ListAsync();
        Assert.Equal([(0L, 4L), (5L, 9L)], segments.Select(s => (s.FirstHeight, s.LastHeight)));
        var blocks = new List<byte[]>();
        foreach (var segment in segments)
        {
            blocks.AddRange(await archive.ReadAsync(segment));
        }

        Assert.Equal(chain.Select(BlockCodec.EncodeBlock), blocks);
        Assert.True(ChainVerifier.VerifyEncoded(blocks.Select(b => (ReadOnlyMemory<byte>)b)).IsValid);
    }

    [Fact]
    public async Task ArchiveOfUnlinkedBlocks_IsRefused()
    {
        var chain = TestChains.KvChain(3);
        var archive = new AzureBlockArchive(_storage, "node-a");
        await Assert.ThrowsAsync<ArgumentException>(() => archive.ArchiveAsync([chain[0], chain[2]]));
        Assert.Empty(await archive.ListAsync());
    }

    [Fact]
    public async Task Bootstrap_TakesTheNewestIntactSnapshotOfAnyNode_WithItsHeadHash()
    {
        Assert.Null(await AzureBootstrap.DownloadLatestSnapshotAsync(_storage));
        var chain = TestChains.KvChain(30);
        await new AzureSnapshotStore(_storage, "node-a").SaveAsync(10, LedgerSnapshot.Encode(TestChains.Replay(chain.Take(11))));
        await new AzureSnapshotStore(_storage, "node-b").SaveAsync(20, LedgerSnapshot.Encode(TestChains.Replay(chain.Take(21))));
        var damaged = LedgerSnapshot.Encode(TestChains.Replay(chain));
        damaged[damaged.Length / 3] ^= 0x40;
        await new AzureSnapshotStore(_storage, "node-c").SaveAsync(30, damaged);

        var logger = new ListLogger();
        var snapshot = await AzureBootstrap.DownloadLatestSnapshotAsync(_storage, logger);

        Assert.NotNull(snapshot);
        Assert.Equal("node-b", snapshot.NodeId);
        Assert.Equal(20, snapshot.Height);
        Assert.Equal(chain[20].Hash, snapshot.HeadHash);
        Assert.Equal(TestChains.Replay(chain.Take(21)).ComputeStateDigest(), LedgerSnapshot.Decode(snapshot.Bytes).ComputeStateDigest());
        Assert.True(logger.Has(6120));
    }
}
