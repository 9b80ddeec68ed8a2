using System.Net;
using System.Net.Sockets;
using ActorChain.Actors;
using ActorChain.Remote.Actors;
using ActorChain.Remote.Transport;

namespace ActorChain.Benchmarks.Remote;

/// <summary>
/// The far side of <see cref="NodeProcessBenchmark"/>, in its own process: an actor system with
/// remoting (a sink and an echo actor) and a raw TCP echo server. Prints "ready PORT RAWPORT" and
/// runs until its standard input closes.
/// </summary>
internal static class NodeProcessPeer
{
    public const string Mode = "node-process-peer";
    internal static readonly byte[] Secret = "node process benchmark shared secret"u8.ToArray();

    public static async Task<int> RunAsync()
    {
        await using var remoting = StartRemoting("peer");
        remoting.System.ActorOf(Props.Create(() => new SinkActor()), "sink");
        remoting.System.ActorOf(Props.Create(() => new EchoActor()), "echo");
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4);
        _ = EchoBytesAsync(listener);
        Console.WriteLine($"ready {remoting.Transport.LocalAddress.Port} {((IPEndPoint)listener.LocalEndPoint!).Port}");
        await Console.In.ReadToEndAsync();
        return 0;
    }

    internal static Remoting StartRemoting(string nodeId)
    {
        var remoting = Remoting.Create(
            "bench",
            new RemoteTransportOptions { NodeId = nodeId, ClusterId = "bench", SharedSecret = Secret, OutboundQueueCapacity = 1 << 20 });
        BenchMessages.Register(remoting.Serializers);
        return remoting;
    }

    private static async Task EchoBytesAsync(Socket listener)
    {
        while (true)
        {
            var socket = await listener.AcceptAsync();
            socket.NoDelay = true;
            _ = Task.Run(async () =>
            {
                var buffer = new byte[8];
                using (socket)
                {
                    while (await ReadExactlyAsync(socket, buffer))
                    {
                        await socket.SendAsync(buffer);
                    }
                }
            });
        }
    }

    internal static async Task<bool> ReadExactlyAsync(Socket socket, Memory<byte> buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer[read..]);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    private sealed class SinkActor : ActorBase
    {
        private long _received;

        protected override bool Receive(object message)
        {
            _received++;
            if (message is Ping { Seq: < 0 })
            {
                Sender.Tell(new Pong(_received), Self);
                _received = 0;
            }

            return true;
        }
    }

    private sealed class EchoActor : ActorBase
    {
        protected override bool Receive(object message)
        {
            if (message is not Ping ping)
            {
                return false;
            }

            Sender.Tell(new Pong(ping.Seq), Self);
            return true;
        }
    }
}
