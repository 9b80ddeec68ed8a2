using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace ActorChain.Benchmarks.Gateway;

/// <summary>
/// Upload MB/s through the real route: one ActorChain.Node process (a single voter, its own data
/// directory) on loopback, rounds of 8 concurrent 4 MB <c>POST /api/files</c> (image/jpeg), each
/// streamed to the file store while hashed, then committed as a file.add:
/// <c>dotnet build src/ActorChain.Node -c Release</c>, then
/// <c>dotnet run -c Release --project benchmarks/ActorChain.Benchmarks -- gateway-upload-http [rounds]</c>.
/// </summary>
internal static class HttpUploadThroughput
{
    public const string Mode = "gateway-upload-http";

    private const int Uploads = FileUploadBenchmarks.Uploads;
    private const int UploadBytes = FileUploadBenchmarks.UploadBytes;

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10;
        var data = Path.Combine(Path.GetTempPath(), "actorchain-upload-http-" + Guid.NewGuid().ToString("N"));
        var (remotePort, httpPort) = (FreePort(), FreePort());
        using var node = StartNode(data, remotePort, httpPort);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(60) };
            await WaitReadyAsync(http, node);
            var contents = new byte[Uploads][];
            var random = new Random(1);
            for (var i = 0; i < Uploads; i++)
            {
                random.NextBytes(contents[i] = new byte[UploadBytes]);
            }

            Console.WriteLine($"{rounds} rounds of {Uploads} concurrent POST /api/files of {UploadBytes:N0} bytes; load average {LoadAverage()}");
            var rates = new double[rounds];
            for (var r = -1; r < rounds; r++)
            {
                var start = Stopwatch.GetTimestamp();
                await Task.WhenAll(contents.Select((content, i) => PostAsync(http, content, r, i)));
                var rate = Uploads * (double)UploadBytes / 1e6 / Stopwatch.GetElapsedTime(start).TotalSeconds;
                if (r >= 0)
                {
                    rates[r] = rate;
                }
            }

            Array.Sort(rates);
            Console.WriteLine($"| POST /api/files, 8 concurrent 4 MB (store + file.add commit) | {rates[rounds / 2]:N0} MB/s | min {rates[0]:N0} | max {rates[^1]:N0} |");
            Console.WriteLine($"load average {LoadAverage()}");
            return 0;
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
                await node.WaitForExitAsync();
            }

            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task PostAsync(HttpClient http, byte[] content, int round, int upload)
    {
        // Distinct bytes every upload, so none is answered as a duplicate (a 200 instead of 201).
        BitConverter.TryWriteBytes(content.AsSpan(4), ((long)round << 8) | (uint)upload);
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/files") { Content = body };
        request.Headers.Add("X-File-Name", $"IMG_{round + 1:D4}_{upload}.jpg");
        using var response = await http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Upload {round}/{upload}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static Process StartNode(string data, int remotePort, int httpPort)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ActorChain.sln")))
        {
            directory = directory.Parent;
        }

        var output = Path.Combine(directory?.FullName ?? ".", "src", "ActorChain.Node", "bin", "Release", "net10.0");
        var dll = Path.Combine(output, "ActorChain.Node.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build ActorChain.Node first: dotnet build src/ActorChain.Node -c Release ({dll} is missing).");
        }

        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[dll, "--config", Path.Combine(output, "hocon", "reference.conf"), "--node-id", "bench", "--hostname", "127.0.0.1",
            "--port", $"{remotePort}", "--http-port", $"{httpPort}", "--data", data])
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["ACTORCHAIN__CHAIN__INITIALVOTERS__0"] = "bench";
        info.Environment["ACTORCHAIN__CLUSTER__SHAREDSECRET"] = "gateway-upload-benchmark-secret";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine("node: " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitReadyAsync(HttpClient http, Process node)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (node.HasExited)
            {
                throw new InvalidOperationException($"The node exited with {node.ExitCode} before it was ready.");
            }

            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("The node was not ready within 60 s.");
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
