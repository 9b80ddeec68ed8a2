using ActorChain.Chain;

namespace ActorChain.Persistence.Tests;

public sealed class LocalFileBlockStoreTests : BlockStoreContract
{
    private readonly TempDirectory _directory = new();

    protected override async Task<IBlockStore> OpenBlockStoreAsync() => await BlockJournal.OpenAsync(_directory.Combine("journal"));

    protected override ISnapshotStore OpenSnapshotStore() => new FileSnapshotStore(_directory.Combine("snapshots"));

    protected override Task TearLastWriteAsync(int bytesKept)
    {
        var segment = Directory.GetFiles(_directory.Combine("journal"), "*.seg").Max()!;
        var length = new FileInfo(segment).Length;
        var lastRecord = LastRecordSize;
        using var stream = new FileStream(segment, FileMode.Open);
        stream.SetLength(length - lastRecord + bytesKept);
        return Task.CompletedTask;
    }

    protected override int LastWriteSize(Block last)
    {
        LastRecordSize = 8 + BlockCodec.GetBlockSize(last);
        return LastRecordSize;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }

    private int LastRecordSize { get; set; }
}
