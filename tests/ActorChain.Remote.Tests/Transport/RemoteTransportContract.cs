using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ActorChain.Remote.Faults;
using ActorChain.Remote.Framing;
using ActorChain.Remote.Handshake;
using ActorChain.Remote.Tests.Support;
using ActorChain.Remote.Transport;
using Microsoft.Extensions.Logging;

namespace ActorChain.Remote.Tests.Transport;

/// <summary>
/// What every transport must do (Akka's transport spec / dotNext's TransportTestSuite): a subclass
/// supplies the transport, this suite proves delivery, ordering, one connection per pair,
/// authentication, hostile input, reconnects and fault injection on real loopback TCP.
/// </summary>
public abstract class RemoteTransportContract : IAsyncLifetime
{
    protected static readonly byte[] Secret = Encoding.UTF8.GetBytes("the cluster's shared secret, 32+b");
    private const string Cluster = "test-cluster";
    private readonly List<RemoteTransport> _transports = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var transport in _transports)
        {
            await transport.DisposeAsync();
        }
    }

    [Fact]
    public async Task Envelopes_SentBothWays_AreDelivered()
    {
        var a = StartNode("node-a");
        var b = StartNode("node-b");

        Assert.True(a.Transport.Send(b.Address, Envelope(1, "/user/b", "/user/a")));
        Assert.True(b.Transport.Send(a.Address, Envelope(2, "/user/a", "/user/b")));

        await b.Handler.WaitForCountAsync(1, "node-b receiving node-a's envelope");
        await a.Handler.WaitForCountAsync(1, "node-a receiving node-b's envelope");
        var atB = Assert.Single(b.Handler.Received);
        Assert.Equal("node-a", atB.From.NodeId);
        Assert.Equal(Envelope(1, "/user/b", "/user/a"), atB.Envelope);
        var atA = Assert.Single(a.Handler.Received);
        Assert.Equal("node-b", atA.From.NodeId);
        Assert.Equal(b.Address, atA.From.Address);
        Assert.Equal(Envelope(2, "/user/a", "/user/b"), atA.Envelope);
    }

    [Fact]
    public async Task Envelopes_BetweenOnePair_ArriveInSendOrder_InBothDirections()
    {
        const int Count = 10_000;
        var a = StartNode("node-a");
        var b = StartNode("node-b");

        var sendA = Task.Run(() => SendMany(a.Transport, b.Address, Count));
        var sendB = Task.Run(() => SendMany(b.Transport, a.Address, Count));
        await Task.WhenAll(sendA, sendB);

        await b.Handler.WaitForCountAsync(Count, "node-b receiving all of node-a's envelopes", TimeSpan.FromSeconds(20));
        await a.Handler.WaitForCountAsync(Count, "node-a receiving all of node-b's envelopes", TimeSpan.FromSeconds(20));
        Assert.Equal(Enumerable.Range(0, Count), b.Handler.Received.Select(static r => Sequence(r.Envelope)));
        Assert.Equal(Enumerable.Range(0, Count), a.Handler.Received.Select(static r => Sequence(r.Envelope)));
        Assert.Equal(0, a.Transport.Counters.LostOnBrokenConnection + b.Transport.Counters.LostOnBrokenConnection);

        static void SendMany(RemoteTransport from, RemoteAddress to, int count)
        {
            for (var i = 0; i < count; i++)
            {
                Assert.True(from.Send(to, Envelope(i, "/user/probe", "/user/sender")));
            }
        }
    }

    [Fact]
    public async Task BothSidesDialingAtOnce_EndWithExactlyOneConnection()
    {
        for (var round = 0; round < 3; round++)
        {
            var a = StartNode($"node-a{round}");
            var b = StartNode($"node-b{round}");
            var aConnected = Connected(a.Transport);
            var bConnected = Connected(b.Transport);

            await Task.WhenAll(Task.Run(() => a.Transport.Connect(b.Address)), Task.Run(() => b.Transport.Connect(a.Address)));
            await Within.Await(aConnected, $"round {round}: node-a connecting");
            await Within.Await(bConnected, $"round {round}: node-b connecting");

            await Within.Until(
                () => a.Transport.OpenConnectionCount == 1 && b.Transport.OpenConnectionCount == 1
                    && a.Transport.GetConnection(b.Address) is { IsClosed: false } atA
                    && b.Transport.GetConnection(a.Address) is { IsClosed: false } atB
                    && Equals(atA.LocalEndPoint, atB.RemoteEndPoint) && Equals(atA.RemoteEndPoint, atB.LocalEndPoint),
                $"round {round}: both sides settling on the same single connection",
                state: () => $"open at a: {a.Transport.OpenConnectionCount}, open at b: {b.Transport.OpenConnectionCount}");

            Assert.True(a.Transport.Send(b.Address, Envelope(7, "/user/b", "")));
            Assert.True(b.Transport.Send(a.Address, Envelope(8, "/user/a", "")));
            await b.Handler.WaitForCountAsync(1, $"round {round}: node-b receiving over the surviving connection");
            await a.Handler.WaitForCountAsync(1, $"round {round}: node-a receiving over the surviving connection");
        }
    }

    [Fact]
    public async Task Peer_WithWrongSecret_IsRefused_LoggedAndCounted_AndDeliversNothing()
    {
        var b = StartNode("node-b");
        var intruder = StartNode("intruder", secret: Encoding.UTF8.GetBytes("a different secret of 32+ bytes!"));

        Assert.True(intruder.Transport.Send(b.Address, Envelope(1, "/user/b", "")));

        await Within.Until(() => b.Transport.Counters.RefusedHandshakes(HandshakeRefusal.BadProof) >= 1, "node-b refusing the intruder's proof");
        await Within.Until(() => intruder.Transport.Counters.RefusedHandshakes(HandshakeRefusal.BadProof) >= 1, "the intruder refusing node-b's proof");
        Assert.True(b.Logger.Has(2003, "BadProof", "127.0.0.1:"), "node-b logged the refusal with the remote endpoint and reason");
        Assert.Equal(0, b.Handler.Count);
        Assert.Equal(0, b.Transport.Counters.EnvelopesDelivered);
        Assert.Empty(b.Transport.ConnectedPeers);
    }

    [Fact]
    public async Task Envelopes_PipelinedAfterABadProof_AreNeverDelivered()
    {
        var b = StartNode("node-b");
        await using var raw = await ConnectRawAsync(b.Address);

        await raw.HandshakeAsync(
            "intruder", Cluster, Encoding.UTF8.GetBytes("not the secret, but 32+ bytes long"), new RemoteAddress("127.0.0.1", 1),
            afterProof: RawPeer.EnvelopeFrame(Envelope(1, "/user/b", "")));

        await Within.Await(raw.WaitForCloseAsync(), "node-b closing the connection after a bad proof");
        Assert.Equal(1, b.Transport.Counters.RefusedHandshakes(HandshakeRefusal.BadProof));
        Assert.Equal(0, b.Handler.Count);
    }

    [Fact]
    public async Task Envelopes_PipelinedAfterAGoodProof_AreDelivered()
    {
        var b = StartNode("node-b");
        await using var raw = await ConnectRawAsync(b.Address);

        await raw.HandshakeAsync("raw", Cluster, Secret, new RemoteAddress("127.0.0.1", 1), afterProof: RawPeer.EnvelopeFrame(Envelope(1, "/user/b", "")));

        await b.Handler.WaitForCountAsync(1, "node-b delivering the envelope sent right after a good proof");
        Assert.Equal("raw", b.Handler.Received[0].From.NodeId);
    }

    [Fact]
    public async Task Follower_DeliversEnvelopes_OnlyAfterTheSelectorSelectsTheConnection()
    {
        var b = StartNode("node-b");
        await using var raw = await ConnectRawAsync(b.Address);

        // "a-raw" sorts before "node-b", so the raw peer is the selector and node-b the follower.
        await raw.HandshakeAsync("a-raw", Cluster, Secret, new RemoteAddress("127.0.0.1", 5));
        Assert.Equal(FrameType.HandshakeAck, (await raw.ReadFrameAsync()).Type);
        await raw.SendAsync(RawPeer.Frame(FrameType.Select, []), RawPeer.EnvelopeFrame(Envelope(1, "/user/b", "")));

        await b.Handler.WaitForCountAsync(1, "node-b delivering an envelope that follows Select");
        Assert.Equal("a-raw", b.Handler.Received[0].From.NodeId);
        Assert.True(b.Transport.IsConnected(new RemoteAddress("127.0.0.1", 5)));
    }

    [Fact]
    public async Task Follower_ClosesAConnection_WhoseSelectorSendsEnvelopesWithoutSelecting()
    {
        var b = StartNode("node-b");
        await using var raw = await ConnectRawAsync(b.Address);

        await raw.HandshakeAsync("a-raw", Cluster, Secret, new RemoteAddress("127.0.0.1", 5), afterProof: RawPeer.EnvelopeFrame(Envelope(1, "/user/b", "")));

        await Within.Await(raw.WaitForCloseAsync(), "node-b closing a connection that carried an envelope before Select");
        Assert.Equal(1, b.Transport.Counters.MalformedFrames);
        Assert.Equal(0, b.Handler.Count);
    }

    [Fact]
    public async Task Peer_FromAnotherCluster_IsRefused()
    {
        var b = StartNode("node-b");
        var stranger = StartNode("stranger", cluster: "other-cluster");

        Assert.True(stranger.Transport.Send(b.Address, Envelope(1, "/user/b", "")));

        await Within.Until(() => b.Transport.Counters.RefusedHandshakes(HandshakeRefusal.ClusterMismatch) >= 1, "node-b refusing a peer of another cluster");
        Assert.True(b.Logger.Has(2003, "ClusterMismatch", "other-cluster"));
        Assert.Equal(0, b.Handler.Count);
    }

    [Fact]
    public async Task Peer_WithUnsupportedVersion_IsRefused()
    {
        var b = StartNode("node-b");
        await using var raw = await ConnectRawAsync(b.Address);

        await raw.SendAsync(RawPeer.Frame(FrameType.Handshake, [99, 0, .. "anything"u8]));

        await Within.Await(raw.WaitForCloseAsync(), "node-b closing a connection that speaks protocol version 99");
        Assert.Equal(1, b.Transport.Counters.RefusedHandshakes(HandshakeRefusal.UnsupportedVersion));
        Assert.True(b.Logger.Has(2003, "UnsupportedVersion", "version 99"));
    }

    [Fact]
    public async Task Peer_ThatDoesNotFinishTheHandshakeInTime_IsRefused()
    {
        var b = StartNode("node-b", configure: o => o with { HandshakeTimeout = TimeSpan.FromMilliseconds(300) });
        await using var raw = await ConnectRawAsync(b.Address);

        await raw.SendAsync(RawPeer.Frame(FrameType.Handshake, [1, 0])[..4]);

        await Within.Await(raw.WaitForCloseAsync(), "node-b closing a connection that never finished its handshake");
        Assert.Equal(1, b.Transport.Counters.RefusedHandshakes(HandshakeRefusal.Timeout));
    }

    [Fact]
    public async Task RandomBytes_CloseThatConnection_AndTheTransportKeepsServingGoodPeers()
    {
        var b = StartNode("node-b", configure: o => o with { HandshakeTimeout = TimeSpan.FromSeconds(2) });
        var random = new Random(1234);
        for (var i = 0; i < 3; i++)
        {
            await using var raw = await ConnectRawAsync(b.Address);
            var garbage = new byte[8 * 1024];
            random.NextBytes(garbage);
            await raw.SendAsync(garbage);
            await Within.Await(raw.WaitForCloseAsync(), $"node-b closing garbage connection {i}");
        }

        Assert.Equal(3, b.Transport.Counters.RefusedHandshakesTotal);
        var a = StartNode("node-a");
        Assert.True(a.Transport.Send(b.Address, Envelope(5, "/user/b", "")));
        await b.Handler.WaitForCountAsync(1, "node-b serving a good peer after the garbage");
    }

    [Fact]
    public async Task UnknownFrameType_AfterTheHandshake_ClosesOnlyThatConnection()
    {
        var b = StartNode("node-b");
        var a = StartNode("node-a");
        await using var raw = await ConnectRawAsync(b.Address);
        await raw.HandshakeAsync("raw", Cluster, Secret, new RemoteAddress("127.0.0.1", 2));

        await raw.SendAsync([2, 0, 0, 0, 200, 0]);

        await Within.Await(raw.WaitForCloseAsync(), "node-b closing the connection that sent frame type 200");
        Assert.Equal(1, b.Transport.Counters.MalformedFrames);
        Assert.True(b.Logger.Has(2004, "raw@127.0.0.1:2", "frame type 200"));
        Assert.True(a.Transport.Send(b.Address, Envelope(3, "/user/b", "")));
        await b.Handler.WaitForCountAsync(1, "node-b still serving node-a");
    }

    [Fact]
    public async Task Send_ToAPeerNotYetListening_IsQueuedAndDeliveredOnceItStarts()
    {
        var port = FreePort();
        var a = StartNode("node-a", configure: FastBackoff);
        var bAddress = new RemoteAddress("127.0.0.1", port);
        for (var i = 0; i < 50; i++)
        {
            Assert.True(a.Transport.Send(bAddress, Envelope(i, "/user/b", "")));
        }

        await Within.Until(() => a.Logger.Has(2006, bAddress.ToString()), "node-a failing a dial to the absent peer");
        var b = StartNode("node-b", port: port);

        await b.Handler.WaitForCountAsync(50, "node-b receiving the envelopes queued while it was down");
        Assert.Equal(Enumerable.Range(0, 50), b.Handler.Received.Select(static r => Sequence(r.Envelope)));
    }

    [Fact]
    public void Send_ToThisNodesOwnAddress_IsRefused()
    {
        var a = StartNode("node-a");

        Assert.Throws<ArgumentException>(() => a.Transport.Send(a.Address, Envelope(1, "/user/a", "")));
        Assert.Throws<ArgumentException>(() => a.Transport.Connect(a.Address));
    }

    [Fact]
    public void Send_OfAnEnvelopeLargerThanMaxFrameSize_IsRefusedAtTheSender()
    {
        var a = StartNode("node-a", configure: o => o with { MaxFrameSize = 4096 });
        var big = new RemoteEnvelope("/user/b", "", 1, 1, new byte[5000]);

        Assert.Throws<ArgumentException>(() => a.Transport.Send(new RemoteAddress("127.0.0.1", 1), big));
    }

    [Fact]
    public void Send_WhenThePeerQueueIsFull_IsRefusedAndCounted()
    {
        var a = StartNode("node-a", configure: o => FastBackoff(o) with { OutboundQueueCapacity = 10 });
        var nowhere = new RemoteAddress("127.0.0.1", FreePort());

        var accepted = Enumerable.Range(0, 11).Count(i => a.Transport.Send(nowhere, Envelope(i, "/user/x", "")));

        Assert.Equal(10, accepted);
        Assert.Equal(1, a.Transport.Counters.DroppedQueueFull);
    }

    // The sender's node id sorts before the receiver's ("node-a") or after it ("node-z"): it picks the
    // pair's connection in the first case and follows the receiver's pick in the second.
    [Theory]
    [InlineData("node-a")]
    [InlineData("node-z")]
    public async Task Reconnect_AfterThePeerRestartsOnTheSamePort_DeliversNewMessages(string sender)
    {
        var a = StartNode(sender, configure: FastBackoff);
        var b = StartNode("node-b");
        var port = b.Address.Port;
        Assert.True(a.Transport.Send(b.Address, Envelope(0, "/user/b", "")));
        await b.Handler.WaitForCountAsync(1, "node-b receiving before its restart");

        var disconnected = Disconnected(a.Transport);
        await b.Transport.DisposeAsync();
        await Within.Await(disconnected, "node-a noticing node-b stopped");

        var restarted = StartNode("node-b", port: port);
        for (var i = 1; i <= 100; i++)
        {
            Assert.True(a.Transport.Send(restarted.Address, Envelope(i, "/user/b", "")));
        }

        await restarted.Handler.WaitForCountAsync(100, "the restarted node-b receiving new envelopes");
        Assert.Equal(Enumerable.Range(1, 100), restarted.Handler.Received.Select(static r => Sequence(r.Envelope)));
    }

    [Theory]
    [InlineData("node-a")]
    [InlineData("node-z")]
    public async Task WantedPeer_IsRedialedWithBackoff_UntilItComesBack(string dialer)
    {
        var a = StartNode(dialer, configure: FastBackoff);
        var b = StartNode("node-b");
        var port = b.Address.Port;
        var connected = Connected(a.Transport);
        a.Transport.Connect(b.Address);
        await Within.Await(connected, "node-a connecting to the wanted node-b");

        var disconnected = Disconnected(a.Transport);
        await b.Transport.DisposeAsync();
        await Within.Await(disconnected, "node-a raising PeerDisconnected for node-b");
        await Within.Until(() => a.Logger.Has(2006, $"127.0.0.1:{port}"), "node-a retrying the wanted node-b");

        var reconnected = Connected(a.Transport);
        StartNode("node-b", port: port);
        var peer = await Within.Await(reconnected, "node-a reconnecting to the restarted node-b");
        Assert.Equal(new PeerId("node-b", new RemoteAddress("127.0.0.1", port)), peer);
    }

    [Fact]
    public async Task Blackhole_OnSend_DropsEverything_AndHealRestoresDelivery()
    {
        var a = StartNode("node-a");
        var b = StartNode("node-b");
        await ConnectAsync(a, b);

        a.Transport.Faults.Set("node-b", FaultDirection.Send, LinkFault.Blackhole);
        for (var i = 0; i < 100; i++)
        {
            a.Transport.Send(b.Address, Envelope(i, "/user/b", ""));
        }

        await Within.Until(() => a.Transport.Counters.DroppedByFaultInjection == 100, "node-a blackholing 100 envelopes");
        a.Transport.Faults.Heal("node-b");
        a.Transport.Send(b.Address, Envelope(1000, "/user/b", ""));

        await b.Handler.WaitForCountAsync(1, "node-b receiving after heal");
        Assert.Equal(1000, Sequence(Assert.Single(b.Handler.Received).Envelope));
        Assert.True(a.Transport.IsConnected(b.Address), "a blackhole drops envelopes, not the connection");
    }

    [Fact]
    public async Task Blackhole_OnReceive_DropsEverything_AndHealRestoresDelivery()
    {
        var a = StartNode("node-a");
        var b = StartNode("node-b");
        await ConnectAsync(a, b);

        b.Transport.Faults.Set("node-a", FaultDirection.Receive, LinkFault.Blackhole);
        for (var i = 0; i < 100; i++)
        {
            a.Transport.Send(b.Address, Envelope(i, "/user/b", ""));
        }

        await Within.Until(() => b.Transport.Counters.DroppedByFaultInjection == 100, "node-b blackholing 100 inbound envelopes");
        b.Transport.Faults.HealAll();
        a.Transport.Send(b.Address, Envelope(1000, "/user/b", ""));

        await b.Handler.WaitForCountAsync(1, "node-b receiving after heal");
        Assert.Equal(1000, Sequence(Assert.Single(b.Handler.Received).Envelope));
    }

    [Fact]
    public async Task Drop_WithProbabilityOne_DropsAll_AndWithProbabilityZero_DropsNone()
    {
        var a = StartNode("node-a");
        var b = StartNode("node-b");
        await ConnectAsync(a, b);

        a.Transport.Faults.Set("node-b", FaultDirection.Send, LinkFault.Drop(1.0, seed: 1));
        for (var i = 0; i < 200; i++)
        {
            a.Transport.Send(b.Address, Envelope(i, "/user/b", ""));
        }

        await Within.Until(() => a.Transport.Counters.DroppedByFaultInjection == 200, "p=1.0 dropping all 200 envelopes");
        a.Transport.Faults.Set("node-b", FaultDirection.Send, LinkFault.Drop(0.0, seed: 1));
        for (var i = 200; i < 400; i++)
        {
            a.Transport.Send(b.Address, Envelope(i, "/user/b", ""));
        }

        await b.Handler.WaitForCountAsync(200, "p=0.0 delivering all 200 envelopes");
        Assert.Equal(Enumerable.Range(200, 200), b.Handler.Received.Select(static r => Sequence(r.Envelope)));
        Assert.Equal(200, a.Transport.Counters.DroppedByFaultInjection);
    }

    [Theory]
    [InlineData(FaultDirection.Send)]
    [InlineData(FaultDirection.Receive)]
    public async Task Delay_HoldsEnvelopesBackByAtLeastTheDelay_AndKeepsTheirOrder(FaultDirection direction)
    {
        var delay = TimeSpan.FromMilliseconds(300);
        var a = StartNode("node-a");
        var b = StartNode("node-b");
        await ConnectAsync(a, b);

        var link = LinkFault.Delay(delay, TimeSpan.FromMilliseconds(50), seed: 3);
        (direction == FaultDirection.Send ? a.Transport.Faults : b.Transport.Faults)
            .Set(direction == FaultDirection.Send ? "node-b" : "node-a", direction, link);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            a.Transport.Send(b.Address, Envelope(i, "/user/b", ""));
        }

        await b.Handler.WaitForCountAsync(20, "node-b receiving the delayed envelopes");
        Assert.True(clock.Elapsed >= delay, $"delivered after {clock.Elapsed}, before the {delay} delay");
        Assert.Equal(Enumerable.Range(0, 20), b.Handler.Received.Select(static r => Sequence(r.Envelope)));
    }

    [Fact]
    public async Task Throttle_LimitsTheRate_AndKeepsOrder()
    {
        var a = StartNode("node-a");
        var b = StartNode("node-b");
        await ConnectAsync(a, b);
        var size = Envelope(0, "/user/b", "").Size;

        // Ten envelopes at five envelopes' worth of bytes per second take about 1.8 s; only a lower
        // bound is checked, since a loaded machine may be slower but never faster.
        a.Transport.Faults.Set("node-b", FaultDirection.Send, LinkFault.Throttle(bytesPerSecond: size * 5));
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++)
        {
            a.Transport.Send(b.Address, Envelope(i, "/user/b", ""));
        }

        await b.Handler.WaitForCountAsync(10, "node-b receiving the throttled envelopes");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), $"10 envelopes at 5 per second arrived after only {clock.Elapsed}");
        Assert.Equal(Enumerable.Range(0, 10), b.Handler.Received.Select(static r => Sequence(r.Envelope)));
    }

    [Fact]
    public async Task IdleConnection_GetsHeartbeats_AndASilentPeerIsClosedAfterTheIdleTimeout()
    {
        var b = StartNode("node-b", configure: o => o with
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(100),
            IdleTimeout = TimeSpan.FromMilliseconds(500),
        });
        await using var raw = await ConnectRawAsync(b.Address);
        await raw.HandshakeAsync("raw", Cluster, Secret, new RemoteAddress("127.0.0.1", 4));
        Assert.Equal(FrameType.HandshakeAck, (await raw.ReadFrameAsync()).Type);
        Assert.Equal(FrameType.Select, (await raw.ReadFrameAsync()).Type);

        Assert.Equal(FrameType.Heartbeat, (await Within.Await(raw.ReadFrameAsync(), "node-b sending a heartbeat on an idle connection")).Type);
        await Within.Await(raw.WaitForCloseAsync(), "node-b closing the connection of a peer that sends nothing");
        Assert.True(b.Logger.Has(2010, "raw@127.0.0.1:4"));
    }

    [Fact]
    public async Task Disconnect_DrainsQueuedEnvelopes_ThenClosesAndStopsRedialing()
    {
        var a = StartNode("node-a");
        var b = StartNode("node-b");
        await ConnectAsync(a, b);
        var disconnected = Disconnected(b.Transport);
        for (var i = 0; i < 500; i++)
        {
            a.Transport.Send(b.Address, Envelope(i, "/user/b", ""));
        }

        await a.Transport.DisconnectAsync(b.Address);

        await b.Handler.WaitForCountAsync(500, "node-b receiving everything queued before the disconnect");
        await Within.Await(disconnected, "node-b seeing node-a close the connection");
        Assert.False(a.Transport.IsConnected(b.Address));
        Assert.Equal(0, a.Transport.Counters.LostOnBrokenConnection);
    }

    [Fact]
    public async Task Disconnect_FromAnUnreachablePeer_CountsItsQueuedEnvelopesAsLost()
    {
        var a = StartNode("node-a", configure: FastBackoff);
        var nowhere = new RemoteAddress("127.0.0.1", FreePort());
        for (var i = 0; i < 5; i++)
        {
            a.Transport.Send(nowhere, Envelope(i, "/user/x", ""));
        }

        await a.Transport.DisconnectAsync(nowhere);

        Assert.Equal(5, a.Transport.Counters.LostOnBrokenConnection);
    }

    [Fact]
    public async Task Counters_CountFramesAndBytes_BothWays()
    {
        var a = StartNode("node-a");
        var b = StartNode("node-b");
        for (var i = 0; i < 10; i++)
        {
            a.Transport.Send(b.Address, Envelope(i, "/user/b", ""));
        }

        await b.Handler.WaitForCountAsync(10, "node-b receiving 10 envelopes");
        var envelopeBytes = 10 * (FrameCodec.HeaderSize + Envelope(0, "/user/b", "").Size);
        Assert.True(a.Transport.Counters.FramesSent >= 12, $"handshake + ack + 10 envelopes, counted {a.Transport.Counters.FramesSent}");
        Assert.True(a.Transport.Counters.BytesSent >= envelopeBytes);
        Assert.True(b.Transport.Counters.FramesReceived >= 12);
        Assert.True(b.Transport.Counters.BytesReceived >= envelopeBytes);
        Assert.Equal(10, b.Transport.Counters.EnvelopesDelivered);
        Assert.Equal(1, a.Transport.Counters.ConnectionsEstablished);
    }

    protected abstract RemoteTransport CreateTransport(RemoteTransportOptions options, IInboundHandler handler, ILogger logger);

    protected static RemoteEnvelope Envelope(int sequence, string recipient, string sender)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(payload, sequence);
        return new RemoteEnvelope(recipient, sender, 1, 77, payload);
    }

    private static int Sequence(in RemoteEnvelope envelope) => BinaryPrimitives.ReadInt32LittleEndian(envelope.Payload.Span);

    private static RemoteTransportOptions FastBackoff(RemoteTransportOptions options) => options with
    {
        ReconnectMinBackoff = TimeSpan.FromMilliseconds(20),
        ReconnectMaxBackoff = TimeSpan.FromMilliseconds(200),
    };

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private static Task<PeerId> Connected(RemoteTransport transport)
    {
        var done = new TaskCompletionSource<PeerId>(TaskCreationOptions.RunContinuationsAsynchronously);
        transport.PeerConnected += peer => done.TrySetResult(peer);
        return done.Task;
    }

    private static Task<PeerId> Disconnected(RemoteTransport transport)
    {
        var done = new TaskCompletionSource<PeerId>(TaskCreationOptions.RunContinuationsAsynchronously);
        transport.PeerDisconnected += (peer, _) => done.TrySetResult(peer);
        return done.Task;
    }

    /// <summary>A hand-driven peer on the transport's own footing (plain TCP, or TLS with a trusted certificate).</summary>
    private protected virtual Task<RawPeer> ConnectRawAsync(RemoteAddress address) => RawPeer.ConnectAsync(address);

    private static async Task ConnectAsync(Node a, Node b)
    {
        var connected = Connected(a.Transport);
        a.Transport.Connect(b.Address);
        await Within.Await(connected, $"{a.Transport.NodeId} connecting to {b.Transport.NodeId}");
    }

    private Node StartNode(
        string nodeId, string cluster = Cluster, byte[]? secret = null, int port = 0, Func<RemoteTransportOptions, RemoteTransportOptions>? configure = null)
    {
        var options = new RemoteTransportOptions
        {
            NodeId = nodeId,
            ClusterId = cluster,
            SharedSecret = secret ?? Secret,
            Hostname = "127.0.0.1",
            Port = port,
            HandshakeTimeout = TimeSpan.FromSeconds(5),
        };
        options = configure?.Invoke(options) ?? options;
        var handler = new RecordingHandler();
        var logger = new CapturingLogger();
        var transport = CreateTransport(options, handler, logger);
        _transports.Add(transport);
        transport.Start();
        return new Node(transport, handler, logger);
    }

    private sealed record Node(RemoteTransport Transport, RecordingHandler Handler, CapturingLogger Logger)
    {
        public RemoteAddress Address => Transport.LocalAddress;
    }
}

/// <summary>The plain-TCP transport against the contract.</summary>
public sealed class TcpRemoteTransportTests : RemoteTransportContract
{
    protected override RemoteTransport CreateTransport(RemoteTransportOptions options, IInboundHandler handler, ILogger logger) =>
        new(options, handler, logger);
}
