using System.Security.Cryptography;
using ActorChain.Chain;

namespace ActorChain.Persistence.Azure.Tests;

/// <summary>What every <see cref="IFileStore"/> must do.</summary>
public abstract class FileStoreContract
{
    protected abstract IFileStore Store { get; }

    [Fact]
    public async Task Put_AddressesTheFileByItsSha256_AndGetReturnsItWhole()
    {
        var content = RandomBytes(300_000, seed: 1);

        var stored = await Store.PutAsync(new MemoryStream(content));

        Assert.Equal(new Hash256(SHA256.HashData(content)), stored.Sha256);
        Assert.Equal(content.Length, stored.Length);
        Assert.True(stored.Created);
        Assert.Equal(content.Length, await Store.GetLengthAsync(stored.Sha256));
        Assert.Equal(content, await ReadAllAsync(stored.Sha256));
    }

    [Fact]
    public async Task ReadWithRange_ReturnsExactlyThoseBytes()
    {
        var content = RandomBytes(200_000, seed: 2);
        var sha = (await Store.PutAsync(new MemoryStream(content))).Sha256;

        Assert.Equal(content[1000..1500], await ReadAllAsync(sha, 1000, 500));
        Assert.Equal(content[150_000..], await ReadAllAsync(sha, 150_000));
        Assert.Equal(content[^10..], await ReadAllAsync(sha, content.Length - 10, 1000));
        Assert.Empty((await ReadAllAsync(sha, content.Length + 5, 10))!);
    }

    [Fact]
    public async Task SameBytesPutTwice_AreStoredOnce()
    {
        var content = RandomBytes(50_000, seed: 3);

        var first = await Store.PutAsync(new MemoryStream(content));
        var second = await Store.PutAsync(new MemoryStream(content));

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Sha256, second.Sha256);
        Assert.Equal(content, await ReadAllAsync(first.Sha256));
        Assert.True(await Store.DeleteAsync(first.Sha256));
        Assert.Null(await Store.GetLengthAsync(first.Sha256));
    }

    [Fact]
    public async Task UnknownFile_IsAbsent()
    {
        var sha = new Hash256(SHA256.HashData("never stored"u8));
        Assert.Null(await Store.GetLengthAsync(sha));
        Assert.Null(await Store.OpenReadAsync(sha));
        Assert.False(await Store.DeleteAsync(sha));
    }

    [Fact]
    public async Task EmptyFile_IsStoredAndRead()
    {
        var stored = await Store.PutAsync(new MemoryStream());
        Assert.Equal(new Hash256(SHA256.HashData([])), stored.Sha256);
        Assert.Equal(0, await Store.GetLengthAsync(stored.Sha256));
        Assert.Empty((await ReadAllAsync(stored.Sha256))!);
    }

    protected async Task<byte[]?> ReadAllAsync(Hash256 sha, long offset = 0, long? length = null)
    {
        await using var stream = await Store.OpenReadAsync(sha, offset, length);
        if (stream is null)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    protected static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}

public sealed class LocalFileStoreTests : FileStoreContract, IDisposable
{
    private readonly Persistence.Tests.TempDirectory _directory = new();
    private readonly LocalFileStore _store;

    public LocalFileStoreTests() => _store = new LocalFileStore(_directory.Combine("files"));

    protected override IFileStore Store => _store;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task File_LivesAtItsShaPrefixFolder_AndNoTempFileRemains()
    {
        var stored = await _store.PutAsync(new MemoryStream(RandomBytes(1000, seed: 4)));
        var hex = stored.Sha256.ToString();

        Assert.True(File.Exists(_directory.Combine("files", hex[..2], hex)));
        Assert.Empty(Directory.GetFiles(_directory.Combine("files", "tmp")));
    }
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureFileStoreTests(AzuriteFixture azurite) : FileStoreContract, IAsyncLifetime
{
    private readonly AzureStorage _storage = azurite.NewStorage();

    protected override IFileStore Store => new AzureFileStore(_storage);

    public Task InitializeAsync() => _storage.EnsureCreatedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task File_IsTheBlobAtItsShaAddress_AndNoStagingBlobRemains()
    {
        var content = RandomBytes(5 * 1024 * 1024 + 17, seed: 5);
        var stored = await Store.PutAsync(new MemoryStream(content));
        var names = new List<string>();
        await foreach (var name in BlobNames.ListAsync(_storage.Container, "", CancellationToken.None))
        {
            names.Add(name);
        }

        Assert.Equal([AzureFileStore.BlobNameOf(stored.Sha256)], names);
        Assert.Equal(content[4_000_000..4_000_100], await ReadAllAsync(stored.Sha256, 4_000_000, 100));
    }
}
