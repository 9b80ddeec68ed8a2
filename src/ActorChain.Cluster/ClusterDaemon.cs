using System.Collections.Immutable;
using ActorChain.Actors;
using static ActorChain.Cluster.ClusterProtocol;

namespace ActorChain.Cluster;

/// <summary>
/// The membership state machine of one node: join, gossip, heartbeats and failure detection,
/// convergence transitions, keep-majority downing, event publication. It owns the gossip table;
/// <see cref="Cluster"/> only reads the snapshots it publishes.
/// </summary>
internal sealed partial class ClusterDaemon : ReceiveActor, IWithTimers
{
    private readonly Cluster _cluster;
    private readonly ClusterSettings _settings;
    private readonly IClusterTransport _transport;
    private readonly UniqueAddress _self;
    private readonly Func<long> _clockMs;
    private readonly Random _random = new();
    private Gossip _gossip = Gossip.Empty;
    private bool _shutDown;

    public ClusterDaemon(Cluster cluster, Func<long> clockMs)
    {
        _cluster = cluster;
        _settings = cluster.Settings;
        _transport = cluster.Transport;
        _self = cluster.SelfUniqueAddress;
        _clockMs = clockMs;

        Receive<InternalCommand.Inbound>(m => OnInbound(m.Message));
        Receive<InternalCommand.JoinSeedNodes>(m => OnJoinSeedNodes(m.Seeds));
        Receive<InternalCommand.Leave>(m => OnLeave(m.Address));
        Receive<InternalCommand.Down>(m => OnDown(m.Address));
        Receive<InternalCommand.Subscribe>(m => OnSubscribe(m.Subscriber, m.EventTypes));
        Receive<InternalCommand.Unsubscribe>(m => OnUnsubscribe(m.Subscriber));
        Receive<InternalCommand.RegisterOnMemberUp>(m => OnRegisterOnMemberUp(m.Callback));
        Receive<InternalCommand.RegisterOnMemberRemoved>(m => OnRegisterOnMemberRemoved(m.Callback));
        Receive<InternalCommand.PeerConnected>(m => OnPeerConnected(m.Peer));
        Receive<InternalCommand.PeerDisconnected>(m => ClusterLog.LinkChanged(Log, _self.NodeId, m.Peer, "down"));
        Receive<Terminated>(m => OnUnsubscribe(m.ActorRef));
        Receive<Tick>(OnTick);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private enum Tick
    {
        Gossip,
        Heartbeat,
        SeedNodeTimeout,
        RetryJoin,
    }

    private Member? SelfMember => _gossip.MemberOf(_self);

    private bool IsMember => !_shutDown && SelfMember is { Status: not (MemberStatus.Down or MemberStatus.Removed) };

    protected override void PreStart()
    {
        _transport.Attach(new Listener(Self));
        Timers.StartPeriodicTimer(Tick.Gossip, Tick.Gossip, _settings.GossipInterval);
        Timers.StartPeriodicTimer(Tick.Heartbeat, Tick.Heartbeat, _settings.HeartbeatInterval);
        var seeds = _settings.ParsedSeedNodes();
        if (seeds.Count > 0)
        {
            OnJoinSeedNodes(seeds);
        }
    }

    protected override void PostStop() => _transport.Detach();

    private void OnTick(Tick tick)
    {
        if (_shutDown)
        {
            return;
        }

        switch (tick)
        {
            case Tick.Gossip:
                GossipToRandomPeer();
                TryMembershipTransitions();
                break;
            case Tick.Heartbeat:
                SendHeartbeats();
                ReapUnreachable();
                KeepMajorityDowning();
                TryMembershipTransitions();
                break;
            case Tick.SeedNodeTimeout:
                OnSeedNodeTimeout();
                break;
            case Tick.RetryJoin:
                OnRetryJoin();
                break;
        }
    }

    private void OnInbound(IClusterMessage message)
    {
        if (_shutDown)
        {
            return;
        }

        switch (message)
        {
            case Heartbeat heartbeat:
                _transport.Send(heartbeat.From.Address, new HeartbeatRsp(_self, heartbeat.Sequence));
                break;
            case HeartbeatRsp response:
                OnHeartbeatResponse(response);
                break;
            case GossipEnvelope envelope:
                OnGossip(envelope);
                break;
            case InitJoin initJoin:
                OnInitJoin(initJoin);
                break;
            case InitJoinAck ack:
                OnInitJoinAck(ack);
                break;
            case InitJoinNack nack:
                OnInitJoinNack(nack);
                break;
            case ClusterProtocol.Join join:
                OnJoin(join);
                break;
            case Welcome welcome:
                OnWelcome(welcome.From, welcome.Gossip);
                break;
            case Deliver deliver:
                OnDeliver(deliver);
                break;
        }
    }

    /// <summary>A change this node makes: it bumps its own clock entry and is the only one to have seen the result.</summary>
    private void Modify(Gossip changed) => Update(changed.Increment(_self).OnlySeen(_self));

    private void Update(Gossip next)
    {
        var previous = _gossip;
        _gossip = next;
        SyncFailureDetectors();
        PublishChanges(previous, next);
        _cluster.Publish(ClusterEvent.CurrentClusterState.From(next, _self), next.MemberOf(_self));

        switch (SelfMember?.Status)
        {
            case MemberStatus.Up:
                RunOnMemberUp();
                break;
            case MemberStatus.Down or MemberStatus.Removed:
                ShutDown(SelfMember.Status);
                break;
        }
    }

    private void ShutDown(MemberStatus status)
    {
        if (_shutDown)
        {
            return;
        }

        // Tell the others this node's final state once, so a node that removed itself does not
        // wait for someone to gossip to a member nobody gossips to any more.
        var envelopeTargets = _gossip.LiveMembers.Where(m => !m.UniqueAddress.Equals(_self) && m.Status != MemberStatus.Down).ToList();
        foreach (var member in envelopeTargets)
        {
            _transport.Send(member.Address, new GossipEnvelope(_self, member.UniqueAddress, _settings.ClusterId, _gossip));
        }

        _shutDown = true;
        Timers.CancelAll();
        ClusterLog.ShutDown(Log, _self.NodeId, status);
        RunOnMemberRemoved();
        _cluster.MarkShutDown();
    }

    private sealed class Listener(IActorRef daemon) : IClusterTransportListener
    {
        public void OnMessage(Address sender, IClusterMessage message) => daemon.Tell(new InternalCommand.Inbound(message), null);

        public void OnPeerConnected(Address peer) => daemon.Tell(new InternalCommand.PeerConnected(peer), null);

        public void OnPeerDisconnected(Address peer) => daemon.Tell(new InternalCommand.PeerDisconnected(peer), null);
    }
}

/// <summary>Messages from <see cref="Cluster"/> and the transport listener to the daemon.</summary>
internal static class InternalCommand
{
    public sealed record Inbound(IClusterMessage Message);

    public sealed record JoinSeedNodes(IReadOnlyList<Address> Seeds);

    public sealed record Leave(Address Address);

    public sealed record Down(Address Address);

    public sealed record Subscribe(IActorRef Subscriber, ImmutableArray<Type> EventTypes);

    public sealed record Unsubscribe(IActorRef Subscriber);

    public sealed record RegisterOnMemberUp(Action Callback);

    public sealed record RegisterOnMemberRemoved(Action Callback);

    public sealed record PeerConnected(Address Peer);

    public sealed record PeerDisconnected(Address Peer);
}
