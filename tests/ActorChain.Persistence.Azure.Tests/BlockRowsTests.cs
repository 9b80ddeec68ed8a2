using FsCheck;
using FsCheck.Fluent;
using Microsoft.WindowsAzure.Storage.Table;

namespace ActorChain.Persistence.Azure.Tests;

/// <summary>The inline row format, checked without storage: inline rows never touch the container.</summary>
public sealed class BlockRowsTests
{
    private static readonly AzureStorage Offline = AzureStorage.Create(new AzureStorageOptions { ConnectionString = "UseDevelopmentStorage=true" });

    [Fact]
    public void InlineRow_RoundTrips_AnyCutIsIncomplete_AndAnyFlippedBitIsDamage()
    {
        var sizes = Gen.Choose(0, 3 * BlockRows.ChunkBytes + 100);
        Prop.ForAll(sizes.ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), (size, seed) =>
        {
            var random = new Random(seed);
            var data = new byte[size];
            random.NextBytes(data);
            var row = BlockRows.CreateAsync(Offline.Container, "node-a", 5, data, CancellationToken.None).GetAwaiter().GetResult();

            var whole = Read(row);
            if (whole.Bytes is null || !whole.Bytes.AsSpan().SequenceEqual(data))
            {
                return false;
            }

            if (size == 0)
            {
                return true;
            }

            var cut = Copy(row);
            BlockRows.SetChunks(Clear(cut), data.AsSpan(0, random.Next(0, size)));
            var torn = Read(cut);

            var flipped = data.ToArray();
            flipped[random.Next(size)] ^= (byte)(1 << random.Next(8));
            var tampered = Copy(row);
            BlockRows.SetChunks(Clear(tampered), flipped);
            var damaged = Read(tampered);

            return torn is { Bytes: null, Incomplete: true } && damaged is { Bytes: null, Incomplete: false };
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void RowKeys_AreNineteenDigits_SoTheySortAsHeights()
    {
        Assert.Equal("0000000000000000042", BlockRows.RowKey(42));
        Assert.True(string.CompareOrdinal(BlockRows.RowKey(9), BlockRows.RowKey(10)) < 0);
        Assert.True(BlockRows.TryParseRowKey(BlockRows.RowKey(long.MaxValue), out var max) && max == long.MaxValue);
        Assert.False(BlockRows.TryParseRowKey("42", out _));
    }

    private static (byte[]? Bytes, string? Problem, bool Incomplete) Read(DynamicTableEntity row) =>
        BlockRows.ReadAsync(Offline.Container, row, CancellationToken.None).GetAwaiter().GetResult();

    private static DynamicTableEntity Copy(DynamicTableEntity row) =>
        new(row.PartitionKey, row.RowKey) { Properties = new Dictionary<string, EntityProperty>(row.Properties) };

    private static DynamicTableEntity Clear(DynamicTableEntity row)
    {
        foreach (var name in row.Properties.Keys.Where(k => k.StartsWith('D')).ToList())
        {
            row.Properties.Remove(name);
        }

        return row;
    }
}
