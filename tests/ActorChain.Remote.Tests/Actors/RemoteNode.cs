using System.Text;
using System.Text.Json.Serialization;
using ActorChain.Actors;
using ActorChain.Remote.Actors;
using ActorChain.Remote.Tests.Support;
using ActorChain.Remote.Transport;
using Microsoft.Extensions.Logging;

namespace ActorChain.Remote.Tests.Actors;

internal sealed record Ping(string Text);

internal sealed record Pong(string Text);

internal sealed record Numbered(int Seq);

internal sealed record Finish(int Sent);

internal sealed record OrderResult(int Received, int FirstOutOfOrder);

/// <summary>Registered on no node: sending it must fail at the sender, cleanly.</summary>
internal sealed record NotRegistered(int Value);

[JsonSerializable(typeof(Ping))]
[JsonSerializable(typeof(Pong))]
[JsonSerializable(typeof(Numbered))]
[JsonSerializable(typeof(Finish))]
[JsonSerializable(typeof(OrderResult))]
internal sealed partial class RemoteActorTestJsonContext : JsonSerializerContext;

/// <summary>One in-process node: an actor system named "cluster" with remoting on 127.0.0.1, port 0.</summary>
internal sealed class RemoteNode : IAsyncDisposable
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("remote-actor-tests-shared-secret");

    private RemoteNode(string nodeId, Remoting remoting, CapturingLogger logger)
    {
        NodeId = nodeId;
        Remoting = remoting;
        Log = logger;
    }

    public string NodeId { get; }

    public Remoting Remoting { get; }

    public CapturingLogger Log { get; }

    public ActorSystem System => Remoting.System;

    public RemoteAddress Address => Remoting.Transport.LocalAddress;

    public static RemoteNode Start(string nodeId)
    {
        var logger = new CapturingLogger();
        var remoting = Remoting.Create(
            "cluster",
            new RemoteTransportOptions { NodeId = nodeId, ClusterId = "cluster", SharedSecret = Secret, Hostname = "127.0.0.1", Port = 0 },
            ActorSystemSettings.Default with { LoggerFactory = new SingleLoggerFactory(logger) });
        var serializers = remoting.Serializers;
        serializers.RegisterJson(1, RemoteActorTestJsonContext.Default.Ping);
        serializers.RegisterJson(2, RemoteActorTestJsonContext.Default.Pong);
        serializers.RegisterJson(3, RemoteActorTestJsonContext.Default.Numbered);
        serializers.RegisterJson(4, RemoteActorTestJsonContext.Default.Finish);
        serializers.RegisterJson(5, RemoteActorTestJsonContext.Default.OrderResult);
        return new RemoteNode(nodeId, remoting, logger);
    }

    /// <summary>The ref this node uses for <paramref name="actor"/> living on another node.</summary>
    public IActorRef RefTo(IActorRef actor) => Remoting.Resolve(actor.Path.ToString());

    public ValueTask DisposeAsync() => Remoting.DisposeAsync();

    private sealed class SingleLoggerFactory(ILogger logger) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => logger;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }
}

/// <summary>Answers Ping "x" with Pong "x", "fail:…" with a Status.Failure, "silent" with nothing.</summary>
internal sealed class EchoActor : ActorBase
{
    protected override bool Receive(object message)
    {
        switch (message)
        {
            case Ping { Text: "silent" }:
                return true;
            case Ping ping when ping.Text.StartsWith("fail:", StringComparison.Ordinal):
                Sender.Tell(new Status.Failure(new InvalidOperationException(ping.Text[5..])), Self);
                return true;
            case Ping ping:
                Sender.Tell(new Pong(ping.Text), Self);
                return true;
            default:
                return false;
        }
    }
}

/// <summary>Checks that each sender's Numbered messages arrive 0, 1, 2, … and reports on Finish.</summary>
internal sealed class OrderCheckActor : ActorBase
{
    private readonly Dictionary<ActorPath, (int Next, int FirstOutOfOrder)> _streams = [];

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case Numbered numbered:
                var (next, first) = _streams.GetValueOrDefault(Sender.Path, (0, -1));
                if (numbered.Seq != next && first < 0)
                {
                    first = numbered.Seq;
                }

                _streams[Sender.Path] = (next + 1, first);
                return true;
            case Finish:
                var (received, firstOutOfOrder) = _streams.GetValueOrDefault(Sender.Path, (0, -1));
                Sender.Tell(new OrderResult(received, firstOutOfOrder), Self);
                return true;
            default:
                return false;
        }
    }
}
