using System.Net;
using System.Net.Sockets;
using ActorChain.Remote;
using ActorChain.Remote.Transport;
using BenchmarkDotNet.Attributes;

namespace ActorChain.Benchmarks.Remote;

/// <summary>
/// Two transports in one process over loopback. Goals (docs/benchmarks.md): at least 500,000 small
/// envelopes/s one way, and a round-trip median at most twice the raw socket ping-pong beside it.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class RemoteTransportBenchmarks
{
    private const int Burst = 100_000;
    private const int RoundTrips = 1_000;
    private static readonly byte[] Secret = "benchmark shared secret of 32 bytes"u8.ToArray();

    private readonly RemoteEnvelope _small = new("/user/sink", "/user/source", 1, 1, new byte[16]);
    private RemoteTransport _a = null!;
    private RemoteTransport _b = null!;
    private CountingHandler _sink = null!;
    private EchoHandler _echo = null!;
    private PongHandler _pong = null!;
    private Socket _rawClient = null!;
    private Socket _rawServer = null!;
    private Socket _rawListener = null!;
    private Task _rawEcho = Task.CompletedTask;
    private readonly byte[] _rawBuffer = new byte[32];
    private BenchCertificates? _certificates;

    /// <summary>Mutual TLS between the two transports (actorchain.remote.tls), against plain TCP.</summary>
    [Params(false, true)]
    public bool Tls { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _certificates = Tls ? new BenchCertificates() : null;
        _sink = new CountingHandler();
        _pong = new PongHandler();
        _a = new RemoteTransport(Options("node-a"), _pong);
        _echo = new EchoHandler(_sink);
        _b = new RemoteTransport(Options("node-b"), _echo);
        _a.Start();
        _b.Start();
        _echo.ReplyTo = (_b, _a.LocalAddress);
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _a.PeerConnected += _ => connected.TrySetResult();
        _a.Connect(_b.LocalAddress);
        await connected.Task.WaitAsync(TimeSpan.FromSeconds(10));

        _rawListener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _rawListener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _rawListener.Listen(1);
        _rawClient = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var accept = _rawListener.AcceptAsync();
        await _rawClient.ConnectAsync(_rawListener.LocalEndPoint!);
        _rawServer = await accept;
        _rawServer.NoDelay = true;
        _rawEcho = Task.Run(EchoRawAsync);
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        _certificates?.Dispose();
        _rawClient.Dispose();
        _rawServer.Dispose();
        _rawListener.Dispose();
        await _rawEcho.ContinueWith(static _ => { });
    }

    /// <summary>One-way burst: each operation is one envelope sent and delivered.</summary>
    [Benchmark(OperationsPerInvoke = Burst)]
    public async Task OneWayThroughput()
    {
        _echo.Echo = false;
        var done = _sink.Expect(Burst);
        for (var i = 0; i < Burst; i++)
        {
            while (!_a.Send(_b.LocalAddress, _small))
            {
                await Task.Yield();
            }
        }

        await done.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Each operation is one envelope to node-b and its echo back, strictly one at a time.</summary>
    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public async Task TransportRoundTrip()
    {
        _echo.Echo = true;
        for (var i = 0; i < RoundTrips; i++)
        {
            var pong = _pong.Next();
            _a.Send(_b.LocalAddress, _small);
            await pong;
        }
    }

    /// <summary>The floor: the same ping-pong with 32 raw bytes on a plain loopback socket.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = RoundTrips)]
    public async Task RawSocketRoundTrip()
    {
        var buffer = _rawBuffer.AsMemory();
        for (var i = 0; i < RoundTrips; i++)
        {
            await _rawClient.SendAsync(buffer, SocketFlags.None);
            var read = 0;
            while (read < buffer.Length)
            {
                read += await _rawClient.ReceiveAsync(buffer[read..], SocketFlags.None);
            }
        }
    }

    private RemoteTransportOptions Options(string nodeId) => new()
    {
        NodeId = nodeId,
        ClusterId = "bench",
        SharedSecret = Secret,
        OutboundQueueCapacity = 1 << 20,
        Tls = _certificates?.For(nodeId),
    };

    private async Task EchoRawAsync()
    {
        var buffer = new byte[32];
        try
        {
            while (true)
            {
                var read = 0;
                while (read < buffer.Length)
                {
                    var n = await _rawServer.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None);
                    if (n == 0)
                    {
                        return;
                    }

                    read += n;
                }

                await _rawServer.SendAsync(buffer, SocketFlags.None);
            }
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private sealed class CountingHandler
    {
        private TaskCompletionSource _done = new();
        private long _remaining;

        public Task Expect(int count)
        {
            _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _remaining, count);
            return _done.Task;
        }

        public void Hit()
        {
            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                _done.TrySetResult();
            }
        }
    }

    private sealed class EchoHandler(CountingHandler sink) : IInboundHandler
    {
        public volatile bool Echo;

        public (RemoteTransport Transport, RemoteAddress To) ReplyTo { get; set; }

        public void OnEnvelope(PeerId from, in RemoteEnvelope envelope)
        {
            if (Echo)
            {
                ReplyTo.Transport.Send(ReplyTo.To, envelope);
            }
            else
            {
                sink.Hit();
            }
        }
    }

    private sealed class PongHandler : IInboundHandler
    {
        private TaskCompletionSource _pong = new();

        public Task Next()
        {
            _pong = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _pong.Task;
        }

        public void OnEnvelope(PeerId from, in RemoteEnvelope envelope) => _pong.TrySetResult();
    }
}
