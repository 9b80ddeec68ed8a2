using ActorChain.Chain;
using ActorChain.Persistence.Tests;

namespace ActorChain.Persistence.Azure.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class AzureTableBlockStoreTests(AzuriteFixture azurite)
{
    private const string Node = "node-a";
    private readonly AzureStorage _storage = azurite.NewStorage();

    private Task<AzureTableBlockStore> OpenAsync(string node = Node) => AzureTableBlockStore.OpenAsync(_storage, node);

    [Fact]
    public async Task MissingRowInTheMiddle_IsReportedWithItsHeight_AndNothingFromItServed()
    {
        var chain = TestChains.KvChain(6);
        await using (var store = await OpenAsync())
        {
            await store.AppendAsync(chain);
        }

        var rows = await TableDamage.RowsAsync(_storage, Node);
        await TableDamage.DeleteRowAsync(_storage, rows[3]);

        await using var reopened = await OpenAsync();
        Assert.Equal(2, reopened.Height);
        Assert.Equal(chain[2].Hash, reopened.HeadHash);
        Assert.Equal(3, reopened.Corruption!.Height);
        Assert.Contains("Block 3 is missing", reopened.Corruption.Reason);
        Assert.Null(await reopened.ReadAsync(4));
        await Assert.ThrowsAsync<InvalidOperationException>(() => reopened.AppendAsync(chain[3]));
    }

    [Fact]
    public async Task TamperedRow_IsReportedWithHeightAndReason_ThenRepairedByTruncateAndAppend()
    {
        var chain = TestChains.KvChain(6);
        await using (var store = await OpenAsync())
        {
            await store.AppendAsync(chain);
        }

        var row = (await TableDamage.RowsAsync(_storage, Node))[2];
        var (bytes, _, _) = await BlockRows.ReadAsync(_storage.Container, row, CancellationToken.None);
        bytes![bytes.Length / 2] ^= 0x01;
        await TableDamage.RewriteDataAsync(_storage, row, bytes);

        await using var reopened = await OpenAsync();
        Assert.Equal(2, reopened.Corruption!.Height);
        Assert.Contains("SHA-256", reopened.Corruption.Reason);
        Assert.Equal(1, reopened.Height);
        Assert.Null(await reopened.ReadEncodedAsync(2));

        await reopened.TruncateAfterAsync(1);
        Assert.Null(reopened.Corruption);
        await reopened.AppendAsync(chain.Skip(2).ToList());
        await using var repaired = await OpenAsync();
        Assert.Null(repaired.Corruption);
        Assert.Equal(chain[^1].Hash, repaired.HeadHash);
    }

    [Fact]
    public async Task RowReplacedWithAnotherForksBlock_BreaksTheChain_AndIsNotServed()
    {
        var chain = TestChains.KvChain(4);
        await using (var store = await OpenAsync())
        {
            await store.AppendAsync(chain);
        }

        // Consistent length and SHA-256, so only the chain rules can catch it.
        var fork = TestChains.Next(TestChains.Next(chain[1], proposer: "node-c"), proposer: "node-c");
        var replacement = await BlockRows.CreateAsync(_storage.Container, Node, 3, BlockCodec.EncodeBlock(fork), CancellationToken.None);
        replacement.ETag = "*";
        await _storage.Table.ExecuteAsync(Microsoft.WindowsAzure.Storage.Table.TableOperation.Replace(replacement));

        await using var reopened = await OpenAsync();
        Assert.Equal(3, reopened.Corruption!.Height);
        Assert.Equal(ChainFault.BadLink, reopened.Corruption.Fault);
        Assert.Equal(2, reopened.Height);
    }

    [Fact]
    public async Task SecondWriterOfAHeight_FailsInsteadOfOverwriting()
    {
        var chain = TestChains.KvChain(3);
        await using var first = await OpenAsync();
        await first.AppendAsync(chain.Take(2).ToList());
        await using var second = await OpenAsync();

        await first.AppendAsync(chain[2]);
        var rival = TestChains.Next(chain[1], proposer: "node-b");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => second.AppendAsync(rival));

        Assert.Contains("another writer", error.Message);
        Assert.Equal(chain[2].Hash, (await (await OpenAsync()).ReadAsync(2))!.Hash);
    }

    [Fact]
    public async Task RetriedAppendOfRowsAlreadyWritten_Succeeds()
    {
        var chain = TestChains.KvChain(4);
        await using var first = await OpenAsync();
        await first.AppendAsync(chain.Take(2).ToList());
        await using var stale = await OpenAsync();
        await first.AppendAsync(chain.Skip(2).ToList());

        // The same blocks again, as a retry whose first attempt landed would send them.
        await stale.AppendAsync(chain.Skip(2).ToList());

        Assert.Equal(4, stale.Height);
        Assert.Equal(chain[^1].Hash, stale.HeadHash);
    }

    [Fact]
    public async Task ManyBlocksInOneAppend_SpanSeveralBatches_AndAllRecover()
    {
        var chain = TestChains.KvChain(250, entriesPerBlock: 1);
        await using (var store = await OpenAsync())
        {
            await store.AppendAsync(chain);
            Assert.Equal(250, store.Height);
        }

        await using var reopened = await OpenAsync();
        Assert.Equal(250, reopened.Height);
        Assert.Equal(chain[^1].Hash, reopened.HeadHash);
        Assert.Equal(chain.Skip(95).Take(10).Select(b => b.Hash), (await reopened.ReadRangeAsync(95, 10)).Select(b => b.Hash));
    }

    [Fact]
    public async Task BlockTooBigForAnEntity_GoesToABlob_AndReadsBackAfterReopen()
    {
        var chain = TestChains.KvChain(1);
        var big = TestChains.Next(chain[^1], entriesPerBlock: 4, valueBytes: 400_000);
        Assert.True(BlockCodec.GetBlockSize(big) > BlockRows.MaxInlineBytes);
        chain.Add(big);
        chain.Add(TestChains.Next(big));
        await using (var store = await OpenAsync())
        {
            await store.AppendAsync(chain);
        }

        var rows = await TableDamage.RowsAsync(_storage, Node);
        Assert.NotNull(BlockRows.BlobOf(rows[2]));
        Assert.Null(BlockRows.BlobOf(rows[1]));
        await using var reopened = await OpenAsync();
        Assert.Null(reopened.Corruption);
        Assert.Equal(BlockCodec.EncodeBlock(big), await reopened.ReadEncodedAsync(2));
    }

    [Fact]
    public async Task TailRowWhoseBlobIsMissing_IsATornWrite_AndCutOff()
    {
        var chain = TestChains.KvChain(2);
        chain.Add(TestChains.Next(chain[^1], entriesPerBlock: 4, valueBytes: 400_000));
        await using (var store = await OpenAsync())
        {
            await store.AppendAsync(chain);
        }

        var tail = (await TableDamage.RowsAsync(_storage, Node))[^1];
        await _storage.Container.GetBlockBlobReference(BlockRows.BlobOf(tail)).DeleteAsync();

        await using var reopened = await OpenAsync();
        Assert.Null(reopened.Corruption);
        Assert.Equal(2, reopened.Height);
        Assert.Equal(chain[2].Hash, reopened.HeadHash);
        Assert.Equal(3, (await TableDamage.RowsAsync(_storage, Node)).Count);
    }

    [Fact]
    public async Task ShortRowBelowTheTail_IsCorruption_NotATornWrite()
    {
        var chain = TestChains.KvChain(4);
        await using (var store = await OpenAsync())
        {
            await store.AppendAsync(chain);
        }

        var row = (await TableDamage.RowsAsync(_storage, Node))[2];
        var (bytes, _, _) = await BlockRows.ReadAsync(_storage.Container, row, CancellationToken.None);
        await TableDamage.RewriteDataAsync(_storage, row, bytes![..(bytes.Length / 2)]);

        await using var reopened = await OpenAsync();
        Assert.Equal(2, reopened.Corruption!.Height);
        Assert.Contains("holds", reopened.Corruption.Reason);
        Assert.Equal(5, (await TableDamage.RowsAsync(_storage, Node)).Count);
    }

    [Fact]
    public async Task Partitions_AreNodes_AndDoNotSeeEachOther()
    {
        var chain = TestChains.KvChain(3);
        await using var a = await OpenAsync("node-a");
        await a.AppendAsync(chain);
        await using var b = await OpenAsync("node-b");

        Assert.Equal(-1, b.Height);
        await b.AppendAsync(chain[0]);
        Assert.Equal(3, (await OpenAsync("node-a")).Height);
    }

    [Fact]
    public async Task WrongClusterGenesis_IsReportedAsCorruptionAtBlockZero()
    {
        await using (var store = await OpenAsync())
        {
            await store.AppendAsync(TestChains.KvChain(2));
        }

        await using var reopened = await AzureTableBlockStore.OpenAsync(_storage, Node, expectedClusterId: "another-cluster");
        Assert.Equal(0, reopened.Corruption!.Height);
        Assert.Equal(-1, reopened.Height);
    }
}
