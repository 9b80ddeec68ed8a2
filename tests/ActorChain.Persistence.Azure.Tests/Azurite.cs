using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ActorChain.Persistence.Azure.Tests;

/// <summary>
/// A real Azurite (tools/azurite, installed by ./test.sh) on free loopback ports, in memory, killed on
/// dispose. Its absence fails the tests: they must never pass without having talked to storage.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _workingDirectory;
    private readonly StringBuilder _output = new();

    private AzuriteProcess(Process process, string workingDirectory, int blobPort, int tablePort)
    {
        _process = process;
        _workingDirectory = workingDirectory;
        BlobPort = blobPort;
        TablePort = tablePort;
    }

    public int BlobPort { get; }

    public int TablePort { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    public static async Task<AzuriteProcess> StartAsync()
    {
        var executable = Path.Combine(RepositoryRoot(), "tools", "azurite", "node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed ({executable} is missing): run ./test.sh, which installs it with 'npm ci --prefix tools/azurite'.");
        }

        var (blobPort, queuePort, tablePort) = (FreePort(), FreePort(), FreePort());
        // --location cannot go with --inMemoryPersistence; the working directory takes what Azurite still writes.
        var workingDirectory = Path.Combine(Path.GetTempPath(), "actorchain-azurite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(workingDirectory);
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", blobPort.ToString(),
            "--queueHost", "127.0.0.1", "--queuePort", queuePort.ToString(),
            "--tableHost", "127.0.0.1", "--tablePort", tablePort.ToString(),
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        var azurite = new AzuriteProcess(process, workingDirectory, blobPort, tablePort);
        var blobReady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tableReady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is not { } line)
            {
                return;
            }

            lock (azurite._output)
            {
                azurite._output.AppendLine(line);
            }

            if (line.Contains("Blob service is successfully listening", StringComparison.Ordinal))
            {
                blobReady.TrySetResult();
            }
            else if (line.Contains("Table service is successfully listening", StringComparison.Ordinal))
            {
                tableReady.TrySetResult();
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => exited.TrySetResult();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var ready = Task.WhenAll(blobReady.Task, tableReady.Task);
        var first = await Task.WhenAny(ready, exited.Task, Task.Delay(StartTimeout));
        if (first != ready)
        {
            await azurite.DisposeAsync();
            throw new InvalidOperationException(
                (first == exited.Task ? "Azurite exited while starting" : $"Azurite did not listen within {StartTimeout.TotalSeconds} s") +
                $": {azurite.Output}");
        }

        return azurite;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Storage over a container and a table no other test uses.</summary>
    public AzureStorage NewStorage(int retryAttempts = 2) => AzureStorage.Create(new AzureStorageOptions
    {
        ConnectionString = ConnectionString,
        Container = "c" + Guid.NewGuid().ToString("N"),
        Table = "t" + Guid.NewGuid().ToString("N"),
        RetryAttempts = retryAttempts,
        RetryBackoff = TimeSpan.FromMilliseconds(100),
        OperationTimeout = TimeSpan.FromSeconds(30),
        HealthTimeout = TimeSpan.FromSeconds(3),
    });

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(_workingDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ActorChain.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No ActorChain.sln above {AppContext.BaseDirectory}: cannot find tools/azurite.");
    }
}

/// <summary>One Azurite for every test class in <see cref="AzuriteCollection"/>.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    public AzuriteProcess Azurite => _azurite ?? throw new InvalidOperationException("Azurite did not start.");

    public AzureStorage NewStorage(int retryAttempts = 2) => Azurite.NewStorage(retryAttempts);

    public async Task InitializeAsync() => _azurite = await AzuriteProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
