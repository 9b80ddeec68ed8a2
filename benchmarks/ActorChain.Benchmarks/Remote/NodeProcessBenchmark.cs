using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ActorChain.Actors;

namespace ActorChain.Benchmarks.Remote;

/// <summary>
/// Remoting between two processes on loopback, beside a raw socket ping-pong measured in the same run:
/// <c>dotnet run -c Release --project benchmarks/ActorChain.Benchmarks -- node-process [--messages N] [--round-trips N]</c>.
/// Prints remote Tell throughput (messages/s), and p50/p99 of the remote Ask and raw 8-byte round trips.
/// Per-message percentiles are outside BenchmarkDotNet's model, hence a console mode rather than a benchmark class.
/// </summary>
internal static class NodeProcessBenchmark
{
    public const string Mode = "node-process";

    public static async Task<int> RunAsync(string[] args)
    {
        var messages = Option(args, "--messages", 500_000);
        var roundTrips = Option(args, "--round-trips", 20_000);
        using var peer = StartPeer(out var remotePort, out var rawPort);
        try
        {
            await using var remoting = NodeProcessPeer.StartRemoting("driver");
            var sink = remoting.Resolve($"actorchain://bench@127.0.0.1:{remotePort}/user/sink");
            var echo = remoting.Resolve($"actorchain://bench@127.0.0.1:{remotePort}/user/echo");
            await echo.Ask<Pong>(new Ping(0), TimeSpan.FromSeconds(30));

            // Warm-up rounds first, so the JIT and the connection are settled in both processes.
            await TellBurstAsync(sink, Math.Min(messages, 50_000));
            var tellRate = await TellBurstAsync(sink, messages);
            await AskRoundTripsAsync(echo, Math.Min(roundTrips, 2_000));
            var ask = await AskRoundTripsAsync(echo, roundTrips);
            using var raw = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await raw.ConnectAsync(new IPEndPoint(IPAddress.Loopback, rawPort));
            await RawRoundTripsAsync(raw, Math.Min(roundTrips, 2_000));
            var rawTrips = await RawRoundTripsAsync(raw, roundTrips);

            Console.WriteLine($"remote Tell, 8-byte message, {messages} messages: {tellRate:N0} messages/s");
            Console.WriteLine($"remote Ask round trip, {roundTrips} sequential: {Summary(ask)}");
            Console.WriteLine($"raw socket 8-byte ping-pong, {roundTrips} sequential: {Summary(rawTrips)}");
            return 0;
        }
        finally
        {
            peer.StandardInput.Close();
            if (!peer.WaitForExit(5_000))
            {
                peer.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task<double> TellBurstAsync(IActorRef sink, int count)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 1; i < count; i++)
        {
            sink.Tell(new Ping(i), null);
        }

        // Delivery is ordered per pair, so the answer to the last message means the sink has seen them all.
        var done = await sink.Ask<Pong>(new Ping(-1), TimeSpan.FromMinutes(2));
        watch.Stop();
        if (done.Seq != count)
        {
            throw new InvalidOperationException($"The sink received {done.Seq} of {count} messages; the outbound queue dropped some.");
        }

        return count / watch.Elapsed.TotalSeconds;
    }

    private static async Task<double[]> AskRoundTripsAsync(IActorRef echo, int count)
    {
        var micros = new double[count];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await echo.Ask<Pong>(new Ping(i), TimeSpan.FromSeconds(10));
            micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        return micros;
    }

    private static async Task<double[]> RawRoundTripsAsync(Socket socket, int count)
    {
        var micros = new double[count];
        var buffer = new byte[8];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await socket.SendAsync(buffer);
            if (!await NodeProcessPeer.ReadExactlyAsync(socket, buffer))
            {
                throw new IOException("The echo server closed the connection.");
            }

            micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        return micros;
    }

    private static string Summary(double[] micros)
    {
        Array.Sort(micros);
        var p50 = micros[micros.Length / 2];
        var p99 = micros[Math.Min(micros.Length - 1, (int)(micros.Length * 0.99))];
        return string.Create(CultureInfo.InvariantCulture, $"p50 {p50:F1} µs, p99 {p99:F1} µs, {micros.Length / (micros.Sum() / 1e6):N0} round trips/s");
    }

    private static Process StartPeer(out int remotePort, out int rawPort)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(NodeProcessBenchmark).Assembly.Location);
        info.ArgumentList.Add(NodeProcessPeer.Mode);
        var peer = Process.Start(info) ?? throw new InvalidOperationException("The peer process did not start.");
        var ready = peer.StandardOutput.ReadLine()?.Split(' ');
        if (ready is not ["ready", var remote, var rawText])
        {
            peer.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The peer process did not report ready (got '{string.Join(' ', ready ?? [])}').");
        }

        remotePort = int.Parse(remote, CultureInfo.InvariantCulture);
        rawPort = int.Parse(rawText, CultureInfo.InvariantCulture);
        return peer;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
