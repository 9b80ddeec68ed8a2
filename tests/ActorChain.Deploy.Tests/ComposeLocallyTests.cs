using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ActorChain.Deploy.Tests.Support;
using ActorChain.Tests.Harness;
using ActorChain.TestKit;
using Xunit.Abstractions;

namespace ActorChain.Deploy.Tests;

/// <summary>
/// deploy/run-compose-locally.sh end to end: Azurite and three real node processes configured from
/// docker-compose.yml, a write on node-1 read back on node-3, every health route the image and the
/// manifests probe answering, and TERM stopping it all.
/// </summary>
public sealed class ComposeLocallyTests(ITestOutputHelper output)
{
    // The compose file's published ports (web 8081-8083, Azurite 10000-10002) and the peer ports
    // the script gives the nodes (4053-4055), all shifted by one offset.
    private static readonly int[] ComposePorts = [8081, 8082, 8083, 10000, 10001, 10002, 4053, 4054, 4055];

    [Fact]
    public async Task ComposeTopology_RunsAsProcesses_ReplicatesAWrite_AndStopsOnTerm()
    {
        var offset = FreeOffset();
        var data = Directory.CreateTempSubdirectory("actorchain-compose-local-");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[Path.Combine(Repo.Deploy, "run-compose-locally.sh"), "--no-build", "--configuration", Repo.Configuration,
            "--data", data.FullName, "--port-offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            info.ArgumentList.Add(arg);
        }

        using var script = new Process { StartInfo = info };
        script.OutputDataReceived += (_, e) => OnLine(e.Data, ready);
        script.ErrorDataReceived += (_, e) => OnLine(e.Data, ready);
        script.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"run-compose-locally.sh exited ({script.ExitCode}) before its nodes were ready."));
        script.EnableRaisingEvents = true;
        using var node1 = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{8081 + offset}"), Timeout = TimeSpan.FromSeconds(10) };
        using var node3 = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{8083 + offset}"), Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            script.Start();
            script.BeginOutputReadLine();
            script.BeginErrorReadLine();
            await ready.Task.WaitAsync(TestTime.Dilated(TimeSpan.FromSeconds(60)));

            var written = await ChainHttp.PutAsync(node1, "deploy/greeting", "hello from node-1");
            Assert.True(written.Height > 0);
            await Eventually.UntilAsync(
                async () => await ChainHttp.GetAsync(node3, "deploy/greeting") == "hello from node-1",
                TimeSpan.FromSeconds(10),
                "node-3 never served the value written on node-1");

            foreach (var route in ProbedRoutes())
            {
                using var response = await node1.GetAsync(route);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{route}, which the deployment probes, answered {(int)response.StatusCode}");
            }

            using (var kill = Process.Start("kill", ["-TERM", script.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await script.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(0, script.ExitCode);
            Assert.All(ComposePorts, p => Assert.True(IsFree(p + offset), $"port {p + offset} is still taken after the script stopped"));
        }
        finally
        {
            if (!script.HasExited)
            {
                script.Kill(entireProcessTree: true);
            }

            data.Delete(recursive: true);
        }
    }

    // The routes the Dockerfile's HEALTHCHECK and the StatefulSet's probes ask for.
    private static IEnumerable<string> ProbedRoutes()
    {
        var k8s = KubernetesManifests.Load();
        var healthcheck = DockerfileTests.Runtime.All("HEALTHCHECK").Single();
        var path = healthcheck[healthcheck.IndexOf("}/", StringComparison.Ordinal)..].TrimStart('}').Split('"')[0];
        return [path, k8s.Container.Text("readinessProbe.httpGet.path"), k8s.Container.Text("livenessProbe.httpGet.path")];
    }

    private void OnLine(string? line, TaskCompletionSource ready)
    {
        if (line is null)
        {
            return;
        }

        TestOutputLoggerProvider.Write(output, $"[run-compose-locally] {line}");
        if (line.StartsWith("==> ready", StringComparison.Ordinal))
        {
            ready.TrySetResult();
        }
    }

    private static int FreeOffset()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            // Below Linux's ephemeral range (32768+), so no outgoing connection takes a port meanwhile.
            var offset = Random.Shared.Next(10_000, 22_000);
            if (ComposePorts.All(p => IsFree(p + offset)))
            {
                return offset;
            }
        }

        throw new InvalidOperationException("no port offset left the compose topology's ports free");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
