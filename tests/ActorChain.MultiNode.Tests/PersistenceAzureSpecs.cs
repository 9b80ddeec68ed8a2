using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ActorChain.Tests.Harness;
using Xunit.Abstractions;

namespace ActorChain.MultiNode.Tests;

/// <summary>
/// DESIGN §7 with Azure on, on real node processes (the executable allows the culture the Azure SDK signs
/// with) and a real Azurite: the nodes archive and snapshot to Blob, a new node bootstraps from the blob
/// snapshot, and an Azurite stopped mid-run shows on /health/ready while no decided block is lost. The
/// table mirror is on too: a node whose copies fail is not ready, so the first barrier covers it.
/// </summary>
public sealed class PersistenceAzureSpecs(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly RecordingOutput _output = new(output);
    private readonly string _root = Directory.CreateTempSubdirectory("actorchain-azure-processes-").FullName;
    private readonly List<NodeProcess> _nodes = [];
    private AzuriteServer? _azurite;

    public async Task InitializeAsync() => _azurite = await AzuriteServer.StartAsync(_output);

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task NewNode_BootstrapsFromTheBlobSnapshot_AndAnAzureOutageShowsOnReadyWithoutLosingADecidedBlock()
    {
        var azurite = _azurite!;
        var voters = new[] { "a1", "a2", "a3" };
        var ports = NodeSpec.FreePorts(8);
        var seeds = new[] { $"127.0.0.1:{ports[0]}", $"127.0.0.1:{ports[2]}" };
        var settings = new Dictionary<string, string?>
        {
            ["actorchain:persistence:azure:connectionstring"] = azurite.ConnectionString,
            ["actorchain:persistence:azure:container"] = "specs",
            ["actorchain:persistence:azure:tablejournal"] = "true",
            ["actorchain:persistence:azure:snapshotinterval"] = "5",
            ["actorchain:persistence:azure:outagegrace"] = "1s",
            ["actorchain:persistence:azure:retrybackoff"] = "100ms",
            ["actorchain:persistence:azure:retryattempts"] = "1",
            ["actorchain:persistence:azure:operationtimeout"] = "3s",
            ["actorchain:persistence:azure:healthtimeout"] = "1s",
            ["actorchain:persistence:azure:bootstraptimeout"] = "20s",
        };
        NodeProcess Define(string name, int index)
        {
            var spec = new NodeSpec(name, ports[2 * index], ports[(2 * index) + 1], Path.Combine(_root, name), seeds, NodeSpec.WithVoters(voters, settings));
            var node = new NodeProcess(spec, _output);
            _nodes.Add(node);
            return node;
        }

        var cluster = voters.Select(Define).ToList();
        cluster.ForEach(n => n.Start());
        await AwaitReadyAsync(cluster);
        for (var i = 0; i < 12; i++)
        {
            await ChainHttp.PutAsync(cluster[i % 3].Http, $"key-{i}", $"value-{i}");
        }

        await Eventually.Until(
            () => _output.Lines.Any(l => l.Contains("ledger snapshot at height") && l.Contains("uploaded to Azure")),
            TimeSpan.FromSeconds(20),
            "no node uploaded a ledger snapshot to Azurite");

        var newcomer = Define("a4", 3);
        newcomer.Start();
        await Eventually.Until(
            () => _output.Lines.Any(l => l.Contains("[a4") && l.Contains("bootstrapped from the blob snapshot at height")),
            TimeSpan.FromSeconds(30),
            "a4 did not bootstrap from the blob snapshot");
        Assert.DoesNotContain(_output.Lines, l => l.Contains("[a4") && l.Contains("not bootstrapping from Azure"));
        var everyone = cluster.Append(newcomer).Select(n => n.Http).ToList();
        var beforeOutage = await ChainHttp.AwaitEqualHeadsAsync(everyone, TimeSpan.FromSeconds(30), atLeast: 5);
        Assert.Equal("value-11", await ChainHttp.GetAsync(newcomer.Http, "key-11"));

        await azurite.StopAsync();

        string? detail = null;
        await Eventually.UntilAsync(
            async () =>
            {
                using var ready = await cluster[0].Http.GetAsync("/health/ready");
                detail = await ready.Content.ReadAsStringAsync();
                return ready.StatusCode == HttpStatusCode.ServiceUnavailable && detail.Contains("Azure Storage", StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(20),
            $"a1's /health/ready never turned 503 naming Azure Storage after Azurite stopped (last: {detail})");

        var written = new List<ChainHttp.Written>();
        for (var i = 0; i < 6; i++)
        {
            written.Add(await ChainHttp.PutAsync(cluster[i % 3].Http, $"outage-{i}", $"during-{i}"));
        }

        // A node killed during the outage comes back from its local journal with every decided block.
        cluster[1].Kill();
        cluster[1].Start();
        await Eventually.UntilAsync(async () => await ChainHttp.TryHeadAsync(cluster[1].Http) is not null, TimeSpan.FromSeconds(20), "a2 did not answer after its restart");
        var afterOutage = await ChainHttp.AwaitEqualHeadsAsync(everyone, TimeSpan.FromSeconds(30), atLeast: written.Max(w => w.Height));
        Assert.True(afterOutage.Height > beforeOutage.Height);
        foreach (var node in everyone)
        {
            Assert.Equal("during-5", await ChainHttp.GetAsync(node, "outage-5"));
            var verify = await node.GetFromJsonAsync<JsonElement>("/api/chain/verify");
            Assert.True(verify.GetProperty("valid").GetBoolean(), verify.ToString());
        }
    }

    private static Task AwaitReadyAsync(IEnumerable<NodeProcess> nodes) =>
        Eventually.UntilAsync(
            async () =>
            {
                foreach (var node in nodes)
                {
                    try
                    {
                        using var ready = await node.Http.GetAsync("/health/ready");
                        if (ready.StatusCode != HttpStatusCode.OK)
                        {
                            return false;
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        return false;
                    }
                }

                return true;
            },
            TimeSpan.FromSeconds(40),
            "not every node answered /health/ready with 200");
}

/// <summary>The test output, also kept line by line so that specs can look for what a node logged.</summary>
internal sealed class RecordingOutput(ITestOutputHelper inner) : ITestOutputHelper
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public void WriteLine(string message)
    {
        lock (_lines)
        {
            _lines.Add(message);
        }

        inner.WriteLine(message);
    }

    public void WriteLine(string format, params object[] args) => WriteLine(string.Format(CultureInfo.InvariantCulture, format, args));
}

/// <summary>A real Azurite (tools/azurite, installed by ./test.sh) on free loopback ports, in memory; its absence fails the spec.</summary>
internal sealed class AzuriteServer : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Process _process;
    private readonly string _directory;

    private AzuriteServer(Process process, string directory, int blobPort, int tablePort)
    {
        _process = process;
        _directory = directory;
        ConnectionString =
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";
    }

    public string ConnectionString { get; }

    public static async Task<AzuriteServer> StartAsync(ITestOutputHelper output)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ActorChain.sln")))
        {
            root = root.Parent;
        }

        var executable = Path.Combine(root?.FullName ?? ".", "tools", "azurite", "node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Azurite is not installed ({executable} is missing): run ./test.sh, which installs it.");
        }

        var ports = NodeSpec.FreePorts(3);
        var directory = Directory.CreateTempSubdirectory("actorchain-azurite-").FullName;
        var start = new ProcessStartInfo(executable) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", ports[0].ToString(CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", ports[1].ToString(CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", ports[2].ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        var listening = 0;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        void OnLine(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is not { } line)
            {
                return;
            }

            TestOutputLoggerProvider.Write(output, "[azurite] " + line);
            if (line.Contains("service is successfully listening", StringComparison.Ordinal) && Interlocked.Increment(ref listening) == 3)
            {
                ready.TrySetResult();
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("Azurite exited while starting (see its lines above)."));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new AzuriteServer(process, directory, ports[0], ports[2]);
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Kills Azurite: every later storage request fails to connect.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
