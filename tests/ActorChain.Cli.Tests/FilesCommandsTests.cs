using System.Security.Cryptography;
using ActorChain.Cli.Load;
using ActorChain.Tests.Harness;

namespace ActorChain.Cli.Tests;

/// <summary>files and tasks commands, and load with uploads, against three real nodes with the gateway's file routes.</summary>
public sealed class FilesCommandsTests(ThreeNodeCluster cluster) : IClassFixture<ThreeNodeCluster>, IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("actorchain-cli-files-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task Upload_OfAFolderOf200Images_StoppedMidway_ThenRunAgain_UploadsNothingTwice_AndStoresEverything()
    {
        const int Images = 200;
        var folder = Directory.CreateDirectory(Path.Combine(_work.FullName, "photos")).FullName;
        var hashes = WriteImages(folder, Images, seed: 1);
        var n1 = cluster.Http[0];
        var fileAddsBefore = await FileAddsAsync(n1);

        // First run, one file at a time, stopped (as by Ctrl-C) once some files are stored.
        using var ctrlC = new CancellationTokenSource();
        var first = CliRun.RunAsync(["files", "upload", folder, "--parallel", "1", "--node", cluster.Node1, "--json"], ctrlC.Token);
        var watcher = StopOnceStoredAsync(n1, hashes, atLeast: 20, ctrlC);
        var stopped = await first;
        await ctrlC.CancelAsync();
        await watcher;

        Assert.True(stopped.ExitCode == 1, stopped.ToString());
        var firstSummary = stopped.Json();
        Assert.True(firstSummary.GetProperty("cancelled").GetBoolean(), stopped.Out);
        var uploadedFirst = firstSummary.GetProperty("uploaded").GetInt32();
        Assert.InRange(uploadedFirst, 1, Images - 1);
        var storedBefore = await CountStoredAsync(n1, hashes);

        var second = await CliRun.ExpectAsync(0, "files", "upload", folder, "--parallel", "8", "--node", cluster.Node1, "--json");

        var summary = second.Json();
        var (uploaded, skipped, failed) = (summary.GetProperty("uploaded").GetInt32(), summary.GetProperty("alreadyStored").GetInt32(), summary.GetProperty("failed").GetInt32());
        Assert.Equal((Images, 0), (uploaded + skipped, failed));
        Assert.True(skipped >= storedBefore, $"the second run skipped {skipped}, but {storedBefore} were stored before it: {second.Out}");
        Assert.True(uploadedFirst + uploaded <= Images, $"{uploadedFirst} + {uploaded} files created by two runs of {Images}");
        Assert.Equal(Images, await CountStoredAsync(n1, hashes));
        // Exactly one file.add per image in the chain: none was recorded twice, on any node.
        Assert.Equal(fileAddsBefore + Images, await FileAddsAsync(n1));
        await ChainHttp.AwaitEqualHeadsAsync(cluster.Http, ThreeNodeCluster.Wait);
        Assert.Equal(fileAddsBefore + Images, await FileAddsAsync(cluster.Http[2]));

        var third = (await CliRun.ExpectAsync(0, "files", "upload", folder, "--node", cluster.Urls[1], "--json")).Json();
        Assert.Equal((0, Images), (third.GetProperty("uploaded").GetInt32(), third.GetProperty("alreadyStored").GetInt32()));
        Assert.Equal(0, third.GetProperty("bytesUploaded").GetInt64());
    }

    [Fact]
    public async Task Upload_WithTags_ThenGet_Search_AndTag_SeeTheSameFile()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_work.FullName, "tagged")).FullName;
        var hashes = WriteImages(folder, 3, seed: 2, prefix: "holiday-");
        var id = hashes.Keys.Order(StringComparer.Ordinal).First();

        var upload = await CliRun.ExpectAsync(0, "files", "upload", folder, "--tag", "cli-beach", "--tag", "family album", "--node", cluster.Node1);
        Assert.Contains("Done: 3 uploaded, 0 already stored, 0 failed of 3 files", upload.Out, StringComparison.Ordinal);
        Assert.Contains("files/s", upload.Out, StringComparison.Ordinal);

        var saved = Path.Combine(_work.FullName, "copy.png");
        var got = (await CliRun.ExpectAsync(0, "files", "get", id, "-o", saved, "--node", cluster.Node1, "--json")).Json();
        Assert.Equal(id, got.GetProperty("sha256").GetString());
        Assert.Equal(hashes[id], got.GetProperty("fileName").GetString());
        Assert.Equal(["cli-beach", "family album"], got.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(id, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(saved))));

        await Eventually.UntilAsync(
            async () => (await CliRun.RunAsync("files", "search", "--tag", "cli-beach", "--node", cluster.Urls[2], "--json")) is { ExitCode: 0 } r && r.Json().GetProperty("total").GetInt32() == 3,
            ThreeNodeCluster.Wait,
            "n3 never found the three tagged files");
        var byName = (await CliRun.ExpectAsync(0, "files", "search", "--name", "holiday-", "--tag", "cli-beach", "--take", "2", "--node", cluster.Node1, "--json")).Json();
        Assert.Equal((3, 2), (byName.GetProperty("total").GetInt32(), byName.GetProperty("items").GetArrayLength()));
        var table = await CliRun.ExpectAsync(0, "files", "search", "--tag", "cli-beach", "--node", cluster.Node1);
        Assert.Contains("3 shown of 3 matching", table.Out, StringComparison.Ordinal);

        var tagged = (await CliRun.ExpectAsync(0, "files", "tag", id, "--add", "cli-sunset", "--remove", "cli-beach", "--node", cluster.Urls[1], "--json")).Json();
        Assert.Equal(["cli-sunset", "family album"], tagged.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).Order(StringComparer.Ordinal));
        var afterTag = (await CliRun.ExpectAsync(0, "files", "search", "--tag", "cli-sunset", "--node", cluster.Urls[1], "--json")).Json();
        Assert.Equal(id, afterTag.GetProperty("items")[0].GetProperty("fileId").GetString());
    }

    [Fact]
    public async Task Get_OfAnUnknownFile_Exits1_AndAnUnacceptedType_IsListedAsAFailure()
    {
        var missing = await CliRun.ExpectAsync(1, "files", "get", new string('0', 64), "--node", cluster.Node1);
        Assert.Contains("no file '", missing.Error, StringComparison.Ordinal);

        var notes = Path.Combine(_work.FullName, "notes.txt");
        await File.WriteAllTextAsync(notes, "not a photo");
        var refused = await CliRun.ExpectAsync(1, "files", "upload", notes, "--node", cluster.Node1);
        Assert.Contains("failed: notes.txt: ", refused.Out, StringComparison.Ordinal);
        Assert.Contains("415", refused.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TaskClaims_OnTwoNodes_AgreeOnOneWinner()
    {
        var first = (await CliRun.ExpectAsync(0, "tasks", "claim", "cli-task-1", "--claimant", "worker-a", "--node", cluster.Node1, "--json")).Json();
        var second = (await CliRun.ExpectAsync(0, "tasks", "claim", "cli-task-1", "--claimant", "worker-b", "--node", cluster.Urls[2], "--json")).Json();
        var text = await CliRun.ExpectAsync(0, "tasks", "claim", "cli-task-1", "--claimant", "worker-b", "--node", cluster.Urls[1]);

        Assert.Equal(("worker-a", true), (first.GetProperty("winner").GetString(), first.GetProperty("won").GetBoolean()));
        Assert.Equal(("worker-a", false), (second.GetProperty("winner").GetString(), second.GetProperty("won").GetBoolean()));
        Assert.StartsWith("Task 'cli-task-1': lost; winner worker-a at height ", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_WithUploadsAndSearches_ReportsEveryOperation()
    {
        var result = await CliRun.ExpectAsync(
            0, "load", "--nodes", cluster.NodesArgument, "--duration", "2s", "--clients", "4", "--readers", "2", "--file-every", "3",
            "--file-size", "2048", "--key-prefix", "lf-", "--json");

        var ops = result.Json().GetProperty("operations").EnumerateArray().ToDictionary(o => o.GetProperty("operation").GetString()!);
        foreach (var op in (string[])["kv.put", "file.upload", "kv.get", "search"])
        {
            Assert.True(ops[op].GetProperty("ok").GetInt64() > 0, $"{op}: {result.Out}");
            Assert.True(ops[op].GetProperty("errors").GetInt64() == 0, $"{op}: {result.Out}");
        }
    }

    /// <summary>Distinct small PNGs in four sub-folders; file id (SHA-256) → file name.</summary>
    private static Dictionary<string, string> WriteImages(string folder, int count, int seed, string prefix = "img-")
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var pixels = new byte[12];
            random.NextBytes(pixels);
            var png = TinyPng.Create(2, 2, pixels);
            var name = $"{prefix}{i:000}.png";
            var sub = Directory.CreateDirectory(Path.Combine(folder, $"day-{i % 4}")).FullName;
            File.WriteAllBytes(Path.Combine(sub, name), png);
            hashes.Add(Convert.ToHexStringLower(SHA256.HashData(png)), name);
        }

        return hashes;
    }

    private static async Task<int> FileAddsAsync(HttpClient node) =>
        (await ChainHttp.EntriesAsync(node)).Count(e => e.Kind == "file.add");

    private static async Task<int> CountStoredAsync(HttpClient node, Dictionary<string, string> hashes)
    {
        var stored = 0;
        foreach (var id in hashes.Keys)
        {
            using var response = await node.GetAsync($"/api/files/{id}");
            stored += response.IsSuccessStatusCode ? 1 : 0;
        }

        return stored;
    }

    private static async Task StopOnceStoredAsync(HttpClient node, Dictionary<string, string> hashes, int atLeast, CancellationTokenSource stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        // The uploader goes in path order (day-0/img-000, day-0/img-004, …); stop when the atLeast-th of those is stored.
        var order = hashes.OrderBy(h => $"day-{int.Parse(h.Value[4..7], System.Globalization.CultureInfo.InvariantCulture) % 4}/{h.Value}", StringComparer.Ordinal).Select(h => h.Key).ToList();
        while (!stop.IsCancellationRequested && await timer.WaitForNextTickAsync())
        {
            using var response = await node.GetAsync($"/api/files/{order[atLeast - 1]}");
            if (response.IsSuccessStatusCode)
            {
                await stop.CancelAsync();
            }
        }
    }
}
