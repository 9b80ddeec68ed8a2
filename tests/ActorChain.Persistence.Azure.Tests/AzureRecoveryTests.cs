using ActorChain.Chain;
using ActorChain.Persistence.Tests;

namespace ActorChain.Persistence.Azure.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class AzureRecoveryTests(AzuriteFixture azurite) : IDisposable
{
    private readonly AzureStorage _storage = azurite.NewStorage();
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task RecoverOverAzureStores_GivesTheSameLedgerAsTheLocalBackend()
    {
        var history = new RandomLedgerHistory(7);
        for (var i = 0; i < 45; i++)
        {
            history.NextBlock();
        }

        var options = new SnapshotOptions { Interval = 20 };
        await using var local = await BlockJournal.OpenAsync(_directory.Combine("journal"));
        await using var azure = await AzureTableBlockStore.OpenAsync(_storage, "node-a");
        var localSnapshots = new SnapshotStore(new FileSnapshotStore(_directory.Combine("snapshots")), options);
        var azureSnapshots = new SnapshotStore(new AzureSnapshotStore(_storage, "node-a"), options);
        await WriteAsync(history.Blocks, local, localSnapshots);
        await WriteAsync(history.Blocks, azure, azureSnapshots);

        var fromLocal = await NodeStore.RecoverAsync(local, localSnapshots);
        await using var reopened = await AzureTableBlockStore.OpenAsync(_storage, "node-a");
        var fromAzure = await NodeStore.RecoverAsync(reopened, azureSnapshots);

        Assert.Equal(40, fromAzure.SnapshotHeight);
        Assert.Equal(fromLocal.SnapshotHeight, fromAzure.SnapshotHeight);
        Assert.Equal(fromLocal.HeadHash, fromAzure.HeadHash);
        Assert.Equal(fromLocal.Ledger.ComputeStateDigest(), fromAzure.Ledger.ComputeStateDigest());
        Assert.Equal(TestChains.Replay(history.Blocks).ComputeStateDigest(), fromAzure.Ledger.ComputeStateDigest());
    }

    private static async Task WriteAsync(List<Block> blocks, IBlockStore store, SnapshotStore snapshots)
    {
        var ledger = new Chain.Ledger.LedgerState();
        foreach (var block in blocks)
        {
            await store.AppendAsync(block);
            ledger.Apply(block);
            if (snapshots.IsDue(block.Height))
            {
                await snapshots.SaveAsync(ledger);
            }
        }
    }
}
