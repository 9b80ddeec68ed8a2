using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace ActorChain.Tests.Harness;

/// <summary>
/// The real ActorChain.Node executable as a child process (<c>dotnet ActorChain.Node.dll</c> with
/// switches; the fast timers go in ACTORCHAIN__ variables). <see cref="Kill"/> is kill -9 of the
/// whole process tree; <see cref="Start"/> again reuses the same ports and data directory.
/// </summary>
internal sealed class NodeProcess(NodeSpec spec, ITestOutputHelper output) : IAsyncDisposable
{
    private static readonly Lazy<string> NodeDll = new(FindNodeDll);
    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://127.0.0.1:{spec.HttpPort}"), Timeout = TimeSpan.FromSeconds(5) };
    private Process? _process;

    public NodeSpec Spec => spec;

    public HttpClient Http => _http;

    public bool HasExited => _process is null || _process.HasExited;

    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    public void Start()
    {
        if (!HasExited)
        {
            throw new InvalidOperationException($"{spec.Name} is already running.");
        }

        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[NodeDll.Value, "--config", NodeSpec.ReferenceConf, "--node-id", spec.Name, "--hostname", "127.0.0.1",
            "--port", spec.RemotePort.ToString(CultureInfo.InvariantCulture), "--http-port", spec.HttpPort.ToString(CultureInfo.InvariantCulture),
            "--data", spec.DataDirectory])
        {
            info.ArgumentList.Add(arg);
        }

        if (spec.Seeds.Count > 0)
        {
            info.ArgumentList.Add("--seeds");
            info.ArgumentList.Add(string.Join(',', spec.Seeds));
        }

        foreach (var (key, value) in spec.AllSettings())
        {
            if (!key.StartsWith("actorchain:node:", StringComparison.OrdinalIgnoreCase))
            {
                info.Environment[key.Replace(":", "__", StringComparison.Ordinal).ToUpperInvariant()] = value;
            }
        }

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Forward(e.Data);
        process.ErrorDataReceived += (_, e) => Forward(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    /// <summary>kill -9: no leave, no flush, no goodbye to the peers.</summary>
    public void Kill()
    {
        if (_process is { } process && !process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    /// <summary>The node's <c>GET /api/cluster/members</c>, or null while it does not answer.</summary>
    public async Task<JsonElement[]?> MembersAsync()
    {
        try
        {
            return await _http.GetFromJsonAsync<JsonElement[]>("/api/cluster/members");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        _http.Dispose();
        await Task.CompletedTask;
    }

    private void Forward(string? line)
    {
        if (line is not null)
        {
            TestOutputLoggerProvider.Write(output, $"[{spec.Name} pid] {line}");
        }
    }

    // The executable built beside this test project, in the same configuration.
    private static string FindNodeDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ActorChain.sln")))
            {
                var dll = Path.Combine(dir.FullName, "src", "ActorChain.Node", "bin", configuration, "net10.0", "ActorChain.Node.dll");
                return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build ActorChain.Node ({configuration}) first; {dll} is missing.");
            }
        }

        throw new DirectoryNotFoundException("ActorChain.sln was not found above the test directory.");
    }
}
