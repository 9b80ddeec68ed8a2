using System.Collections.Concurrent;
using ActorChain.Actors;
using static ActorChain.Cluster.ClusterProtocol;

namespace ActorChain.Cluster.Tests;

/// <summary>
/// What every <see cref="IClusterTransport"/> must do; a transport's test class derives from this
/// and creates two connected endpoints.
/// </summary>
public abstract class ClusterTransportContract
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>Two transports that can reach each other.</summary>
    protected abstract (IClusterTransport A, IClusterTransport B) CreatePair();

    [Fact]
    public void Send_DeliversTheMessageToTheRecipientsListener_WithTheSendersAddress()
    {
        var (a, b) = CreatePair();
        var inbox = new RecordingListener();
        a.Attach(new RecordingListener());
        b.Attach(inbox);
        var from = new UniqueAddress(a.LocalAddress, 42);

        a.Send(b.LocalAddress, new Heartbeat(from, 7));

        var (sender, message) = inbox.Next(Timeout);
        Assert.Equal(a.LocalAddress, sender);
        Assert.Equal(new Heartbeat(from, 7), message);
    }

    [Fact]
    public void Send_CarriesTheGossipTableIntact()
    {
        var (a, b) = CreatePair();
        var inbox = new RecordingListener();
        a.Attach(new RecordingListener());
        b.Attach(inbox);
        var self = new UniqueAddress(a.LocalAddress, 1);
        var other = new UniqueAddress(b.LocalAddress, 2);
        var gossip = Gossip.Empty
            .WithMember(new Member(self, MemberStatus.Up))
            .WithMember(new Member(other, MemberStatus.Joining))
            .WithOverview(Reachability.Empty.Unreachable(self, other))
            .Increment(self)
            .OnlySeen(self);

        a.Send(b.LocalAddress, new GossipEnvelope(self, other, "cluster", gossip));

        var received = Assert.IsType<GossipEnvelope>(inbox.Next(Timeout).Message);
        Assert.Equal(gossip, received.Gossip);
    }

    [Fact]
    public void Send_ToAnUnknownAddress_DoesNotThrow()
    {
        var (a, _) = CreatePair();
        a.Attach(new RecordingListener());

        a.Send(new Address("actorchain", "127.0.0.1", 1), new Heartbeat(new UniqueAddress(a.LocalAddress, 1), 1));
    }

    protected sealed class RecordingListener : IClusterTransportListener
    {
        private readonly BlockingCollection<(Address Sender, IClusterMessage Message)> _messages = [];

        public ConcurrentQueue<(Address Peer, bool Connected)> LinkChanges { get; } = new();

        public (Address Sender, IClusterMessage Message) Next(TimeSpan timeout) =>
            _messages.TryTake(out var item, timeout) ? item : throw new TimeoutException($"no message arrived within {timeout}");

        public void OnMessage(Address sender, IClusterMessage message) => _messages.Add((sender, message));

        public void OnPeerConnected(Address peer) => LinkChanges.Enqueue((peer, true));

        public void OnPeerDisconnected(Address peer) => LinkChanges.Enqueue((peer, false));
    }
}

public sealed class InMemoryClusterTransportTests : ClusterTransportContract
{
    private readonly InMemoryClusterNetwork _network = new();

    [Fact]
    public void Blackhole_DropsBothWays_AndHealRestoresTheLink()
    {
        var (a, b) = CreatePair();
        var atA = new RecordingListener();
        var atB = new RecordingListener();
        a.Attach(atA);
        b.Attach(atB);
        var fromA = new Heartbeat(new UniqueAddress(a.LocalAddress, 1), 1);
        var fromB = new Heartbeat(new UniqueAddress(b.LocalAddress, 2), 1);

        _network.Blackhole(a.LocalAddress, b.LocalAddress);
        a.Send(b.LocalAddress, fromA);
        b.Send(a.LocalAddress, fromB);

        Assert.Equal(2, _network.Dropped);
        Assert.Contains((b.LocalAddress, false), atA.LinkChanges);

        _network.Heal(a.LocalAddress, b.LocalAddress);
        a.Send(b.LocalAddress, fromA);

        Assert.Equal(fromA, atB.Next(TimeSpan.FromSeconds(1)).Message);
        Assert.Contains((a.LocalAddress, true), atB.LinkChanges);
    }

    [Fact]
    public void DropRate_One_LosesEveryMessageOnThatDirectionOnly()
    {
        var (a, b) = CreatePair();
        var atA = new RecordingListener();
        a.Attach(atA);
        b.Attach(new RecordingListener());
        _network.SetDropRate(a.LocalAddress, b.LocalAddress, 1.0);

        for (var i = 0; i < 10; i++)
        {
            a.Send(b.LocalAddress, new Heartbeat(new UniqueAddress(a.LocalAddress, 1), i));
        }

        b.Send(a.LocalAddress, new Heartbeat(new UniqueAddress(b.LocalAddress, 2), 0));

        Assert.Equal(10, _network.Dropped);
        Assert.Equal(1, _network.Delivered);
        Assert.Equal(b.LocalAddress, atA.Next(TimeSpan.FromSeconds(1)).Sender);
    }

    [Fact]
    public void Detach_StopsDelivery_AndTellsThePeers()
    {
        var (a, b) = CreatePair();
        var atA = new RecordingListener();
        a.Attach(atA);
        b.Attach(new RecordingListener());

        b.Detach();
        a.Send(b.LocalAddress, new Heartbeat(new UniqueAddress(a.LocalAddress, 1), 1));

        Assert.Equal(1, _network.Dropped);
        Assert.Contains((b.LocalAddress, false), atA.LinkChanges);
    }

    protected override (IClusterTransport A, IClusterTransport B) CreatePair() =>
        (_network.CreateTransport(new Address("actorchain", "127.0.0.1", 2551)),
         _network.CreateTransport(new Address("actorchain", "127.0.0.1", 2552)));
}
