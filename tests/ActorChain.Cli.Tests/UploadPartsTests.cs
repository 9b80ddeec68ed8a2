using System.Security.Cryptography;
using ActorChain.Cli.Files;
using ActorChain.Cli.Http;

namespace ActorChain.Cli.Tests;

/// <summary>The parts of <c>files upload</c> that need no node: the folder walk, the resume rule, the progress numbers.</summary>
public sealed class UploadPartsTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("actorchain-cli-walk-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void Walk_OfAFolder_FindsEveryFileRecursively_InPathOrder_WithoutHiddenOnes()
    {
        Write("b.png", 3);
        Write("a/z.jpg", 5);
        Write("a/deeper/m.txt", 7);
        Write(".hidden", 1);
        Write("a/.DS_Store", 1);

        var files = FolderWalk.Walk(_root.FullName);

        Assert.Equal(["a/deeper/m.txt", "a/z.jpg", "b.png"], files.Select(f => f.RelativePath.Replace('\\', '/')));
        Assert.Equal([7L, 5L, 3L], files.Select(f => f.Size));
        Assert.All(files, f => Assert.True(File.Exists(f.FullPath)));
    }

    [Fact]
    public void Walk_OfAFile_IsThatFile()
    {
        var path = Write("one.png", 11);

        var file = Assert.Single(FolderWalk.Walk(path));

        Assert.Equal(("one.png", 11L, path), (file.RelativePath, file.Size, file.FullPath));
    }

    [Fact]
    public void Walk_OfNothing_IsAUsageError() =>
        Assert.Throws<UsageException>(() => FolderWalk.Walk(Path.Combine(_root.FullName, "missing")));

    [Fact]
    public async Task Sha256_IsTheLowerHexHashOfTheBytes_TheNodesFileId()
    {
        var path = Write("x.bin", 1000);

        var sha = await UploadPlan.Sha256Async(path, CancellationToken.None);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path))), sha);
    }

    [Fact]
    public void Resume_SkipsContentTheNodeStores_AndUploadsEverythingElse()
    {
        const string Sha = "ab12";

        Assert.Equal(UploadAction.Upload, UploadPlan.Decide(Sha, 10, stored: null));
        Assert.Equal(UploadAction.Skip, UploadPlan.Decide(Sha, 10, Stored("AB12", 10)));
        Assert.Equal(UploadAction.Upload, UploadPlan.Decide(Sha, 10, Stored(Sha, 11)));
        Assert.Equal(UploadAction.Upload, UploadPlan.Decide(Sha, 10, Stored("cd34", 10)));
    }

    [Fact]
    public void Progress_RatesFollowTheCounts_AndEtaTheBytesLeft()
    {
        var progress = new TransferProgress(filesTotal: 10, bytesTotal: 10_000_000);
        progress.Completed(2_000_000, sent: true);
        progress.Completed(2_000_000, sent: false);

        var rates = progress.At(TimeSpan.FromSeconds(2));

        Assert.Equal((2L, 4_000_000L), (rates.FilesDone, rates.BytesDone));
        Assert.Equal(1.0, rates.FilesPerSecond, 6);
        Assert.Equal(1.0, rates.MegabytesPerSecond, 6); // only the sent file crossed the network
        Assert.Equal(TimeSpan.FromSeconds(3), rates.Eta);  // 6 MB left at 2 MB/s done
        Assert.Equal("2/10 files · 1.0 files/s · 1.00 MB/s · ETA 00:00:03", TransferProgress.Describe(rates));
    }

    [Fact]
    public void Progress_BeforeAnythingIsDone_HasNoEta_AndWhenAllIsDone_Zero()
    {
        Assert.Null(TransferProgress.Compute(0, 5, 0, 100, 0, TimeSpan.FromSeconds(1)).Eta);
        Assert.Equal(TimeSpan.Zero, TransferProgress.Compute(5, 5, 100, 100, 100, TimeSpan.FromSeconds(1)).Eta);
        Assert.Equal(TimeSpan.FromSeconds(4), TransferProgress.Compute(1, 5, 0, 0, 0, TimeSpan.FromSeconds(1)).Eta);
    }

    [Fact]
    public void ContentType_ComesFromTheExtension_CaseBlind()
    {
        Assert.Equal("image/jpeg", ContentTypes.Of("IMG_0001.JPG"));
        Assert.Equal("image/png", ContentTypes.Of("a.png"));
        Assert.Equal("video/quicktime", ContentTypes.Of("clip.mov"));
        Assert.Equal(ContentTypes.Fallback, ContentTypes.Of("README"));
    }

    [Fact]
    public void SearchQuery_WritesEveryFilter_Escaped_AndLeavesOutTheUnset()
    {
        var query = new SearchQuery
        {
            Tags = ["beach", "summer 2024"],
            Fields = new Dictionary<string, string> { ["album"] = "A&B" },
            From = "2024-07-01",
            Near = "48.85,2.35,10",
            Take = 5,
        };

        Assert.Equal("?tag=beach&tag=summer%202024&field.album=A%26B&from=2024-07-01&near=48.85%2C2.35%2C10&take=5", query.ToQueryString());
        Assert.Equal(string.Empty, new SearchQuery().ToQueryString());
    }

    private static StoredFile Stored(string sha, long size) =>
        new(sha, sha, size, "f", "image/png", [], null, null, 1, null, null, null, null);

    private string Write(string relative, int size)
    {
        var path = Path.Combine(_root.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(size));
        return path;
    }
}
