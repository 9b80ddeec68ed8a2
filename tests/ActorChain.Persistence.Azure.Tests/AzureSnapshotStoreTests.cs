using ActorChain.Persistence.Tests;

namespace ActorChain.Persistence.Azure.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class AzureSnapshotStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly AzureStorage _storage = azurite.NewStorage();

    private AzureSnapshotStore Snapshots(string node = "node-a") => new(_storage, node);

    public Task InitializeAsync() => _storage.EnsureCreatedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ConcurrentCreatesOfOneHeight_ExactlyOneWins_AndTheLosersAreToldSo()
    {
        var contents = Enumerable.Range(0, 8).Select(i => Enumerable.Repeat((byte)(i + 1), 100_000 + i).ToArray()).ToArray();

        var results = await Task.WhenAll(contents.Select(c => Task.Run(() => Snapshots().TryCreateAsync(7, c))));

        var winner = Assert.Single(results, r => r.Won);
        Assert.Equal(SnapshotWriteOutcome.Created, winner.Outcome);
        Assert.All(results.Where(r => !r.Won), r => Assert.Equal(SnapshotWriteOutcome.LostRace, r.Outcome));
        var saved = await Snapshots().ReadVersionedAsync(7);
        Assert.Equal(winner.ETag, saved!.ETag);
        Assert.Equal(contents[Array.IndexOf(results, winner)], saved.Bytes);
    }

    [Fact]
    public async Task ReplaceWithAStaleETag_LosesAndChangesNothing()
    {
        var created = await Snapshots().TryCreateAsync(3, new byte[] { 1 });
        var replaced = await Snapshots().TryReplaceAsync(3, new byte[] { 2 }, created.ETag!);
        var stale = await Snapshots().TryReplaceAsync(3, new byte[] { 3 }, created.ETag!);

        Assert.Equal(SnapshotWriteOutcome.Replaced, replaced.Outcome);
        Assert.Equal(SnapshotWriteOutcome.LostRace, stale.Outcome);
        Assert.Equal(new byte[] { 2 }, await Snapshots().ReadAsync(3));
    }

    [Fact]
    public async Task SaveOverADamagedSnapshotOfTheSameHeight_ReplacesIt()
    {
        await Snapshots().TryCreateAsync(5, new byte[] { 9, 9 });
        await Snapshots().SaveAsync(5, new byte[] { 1, 2, 3 });
        Assert.Equal(new byte[] { 1, 2, 3 }, await Snapshots().ReadAsync(5));
    }

    [Fact]
    public async Task Blobs_ArePerNodeAndHeight()
    {
        await Snapshots("node-a").SaveAsync(12, new byte[] { 1 });
        await Snapshots("node-b").SaveAsync(40, new byte[] { 2 });

        Assert.Equal([12L], await Snapshots("node-a").ListHeightsAsync());
        Assert.Equal([40L], await Snapshots("node-b").ListHeightsAsync());
        Assert.Equal("snapshots/node-a/snapshot-0000000000000000012.bin", Snapshots("node-a").BlobNameOf(12));
        Assert.True(await _storage.Container.GetBlockBlobReference(Snapshots("node-a").BlobNameOf(12)).ExistsAsync());
    }

    [Fact]
    public async Task SnapshotStoreOverAzure_FallsBackFromADamagedLatest_WithALogLine()
    {
        var logger = new ListLogger();
        var store = new SnapshotStore(Snapshots(), logger: logger);
        var chain = TestChains.KvChain(6);
        await store.SaveAsync(TestChains.Replay(chain.Take(3)));
        await store.SaveAsync(TestChains.Replay(chain));
        var latest = await Snapshots().ReadVersionedAsync(6);
        latest!.Bytes[latest.Bytes.Length / 2] ^= 0x08;
        Assert.True((await Snapshots().TryReplaceAsync(6, latest.Bytes, latest.ETag)).Won);

        var loaded = await store.LoadLatestAsync();

        Assert.Equal(2, loaded!.Height);
        Assert.Equal(TestChains.Replay(chain.Take(3)).ComputeStateDigest(), loaded.Ledger.ComputeStateDigest());
        Assert.True(logger.Has(6021));
    }

    [Fact]
    public async Task SnapshotStoreOverAzure_KeepsOnlyTheNewestK()
    {
        var store = new SnapshotStore(Snapshots(), new SnapshotOptions { Keep = 2 });
        var chain = TestChains.KvChain(4);
        for (var n = 1; n <= chain.Count; n++)
        {
            await store.SaveAsync(TestChains.Replay(chain.Take(n)));
        }

        Assert.Equal([3L, 4], await Snapshots().ListHeightsAsync());
    }
}
