using ActorChain.Chain.Ledger;

namespace ActorChain.Persistence.Tests;

public sealed class SnapshotStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private FileSnapshotStore Files => new(_directory.Combine("snapshots"));

    [Fact]
    public async Task Save_KeepsOnlyTheNewestK()
    {
        var store = new SnapshotStore(Files, new SnapshotOptions { Keep = 2 });
        var chain = TestChains.KvChain(5);
        var ledger = new LedgerState();
        foreach (var block in chain)
        {
            ledger.Apply(block);
            await store.SaveAsync(ledger);
        }

        Assert.Equal([4L, 5], await Files.ListHeightsAsync());
        Assert.True(File.Exists(_directory.Combine("snapshots", "snapshot-5.bin")));
        Assert.Empty(Directory.GetFiles(_directory.Combine("snapshots"), "*.tmp"));
    }

    [Fact]
    public async Task LoadLatest_ReturnsTheNewestIntactSnapshot()
    {
        var store = new SnapshotStore(Files);
        var chain = TestChains.KvChain(6);
        await store.SaveAsync(TestChains.Replay(chain.Take(3)));
        await store.SaveAsync(TestChains.Replay(chain));

        var loaded = await store.LoadLatestAsync();
        Assert.NotNull(loaded);
        Assert.Equal(6, loaded.Height);
        Assert.Equal(TestChains.Replay(chain).ComputeStateDigest(), loaded.Ledger.ComputeStateDigest());

        var capped = await store.LoadLatestAsync(maxHeight: 5);
        Assert.Equal(2, capped!.Height);
    }

    [Fact]
    public async Task DamagedLatest_FallsBackToTheOlderOne_WithALogLine()
    {
        var logger = new ListLogger();
        var store = new SnapshotStore(Files, logger: logger);
        var chain = TestChains.KvChain(6);
        await store.SaveAsync(TestChains.Replay(chain.Take(3)));
        await store.SaveAsync(TestChains.Replay(chain));
        var latest = Files.PathOf(6);
        var bytes = await File.ReadAllBytesAsync(latest);
        bytes[bytes.Length / 2] ^= 0x08;
        await File.WriteAllBytesAsync(latest, bytes);

        var loaded = await store.LoadLatestAsync();
        Assert.Equal(2, loaded!.Height);
        Assert.Equal(TestChains.Replay(chain.Take(3)).ComputeStateDigest(), loaded.Ledger.ComputeStateDigest());
        Assert.Contains(logger.Lines, l => l.Id.Id == 6021 && l.Message.Contains("height 6"));
    }

    [Fact]
    public async Task NoIntactSnapshot_LoadsNothing()
    {
        var store = new SnapshotStore(Files);
        await Files.SaveAsync(3, new byte[] { 1, 2, 3 });
        Assert.Null(await store.LoadLatestAsync());
    }

    [Fact]
    public async Task SnapshotFile_NamedForAnotherHeight_IsSkipped()
    {
        var store = new SnapshotStore(Files);
        var chain = TestChains.KvChain(4);
        await store.SaveAsync(TestChains.Replay(chain.Take(2)));
        await Files.SaveAsync(9, LedgerSnapshot.Encode(TestChains.Replay(chain)));

        Assert.Equal(1, (await store.LoadLatestAsync())!.Height);
    }

    [Theory]
    [InlineData(1000, 1000, true)]
    [InlineData(1000, 999, false)]
    [InlineData(1000, 0, false)]
    [InlineData(10, 30, true)]
    public void IsDue_AtEveryMultipleOfTheInterval(long interval, long height, bool due) =>
        Assert.Equal(due, new SnapshotStore(Files, new SnapshotOptions { Interval = interval }).IsDue(height));
}
