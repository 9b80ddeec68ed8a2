using ActorChain.Chain;
using Microsoft.WindowsAzure.Storage.Table;

namespace ActorChain.Persistence.Azure.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class AzureTableBlockStoreContractTests(AzuriteFixture azurite) : Persistence.Tests.BlockStoreContract
{
    private readonly AzureStorage _storage = azurite.NewStorage();

    protected override async Task<IBlockStore> OpenBlockStoreAsync() => await AzureTableBlockStore.OpenAsync(_storage, "node-a");

    protected override ISnapshotStore OpenSnapshotStore() => new AzureSnapshotStore(_storage, "node-a");

    /// <summary>Keeps the first <paramref name="bytesKept"/> bytes of the tail row, as a write that stopped midway would.</summary>
    protected override Task TearLastWriteAsync(int bytesKept) => TableDamage.TearTailRowAsync(_storage, "node-a", bytesKept);

    protected override int LastWriteSize(Block last) => BlockCodec.GetBlockSize(last);
}

/// <summary>Damage done to journal rows behind the store's back.</summary>
internal static class TableDamage
{
    public static async Task<List<DynamicTableEntity>> RowsAsync(AzureStorage storage, string nodeId)
    {
        var query = new TableQuery<DynamicTableEntity>().Where(TableQuery.GenerateFilterCondition("PartitionKey", QueryComparisons.Equal, nodeId));
        var rows = new List<DynamicTableEntity>();
        TableContinuationToken? token = null;
        do
        {
            var segment = await storage.Table.ExecuteQuerySegmentedAsync(query, token);
            rows.AddRange(segment.Results);
            token = segment.ContinuationToken;
        }
        while (token is not null);

        return rows;
    }

    public static async Task TearTailRowAsync(AzureStorage storage, string nodeId, int bytesKept)
    {
        var tail = (await RowsAsync(storage, nodeId))[^1];
        var (bytes, _, _) = await BlockRows.ReadAsync(storage.Container, tail, CancellationToken.None);
        await RewriteDataAsync(storage, tail, bytes!.AsSpan(0, bytesKept).ToArray());
    }

    /// <summary>Replaces a row's block bytes, keeping its recorded length and SHA-256.</summary>
    public static async Task RewriteDataAsync(AzureStorage storage, DynamicTableEntity row, byte[] data)
    {
        foreach (var name in row.Properties.Keys.Where(k => k.StartsWith('D')).ToList())
        {
            row.Properties.Remove(name);
        }

        BlockRows.SetChunks(row, data);
        row.ETag = "*";
        await storage.Table.ExecuteAsync(TableOperation.Replace(row));
    }

    public static async Task DeleteRowAsync(AzureStorage storage, DynamicTableEntity row)
    {
        row.ETag = "*";
        await storage.Table.ExecuteAsync(TableOperation.Delete(row));
    }
}
