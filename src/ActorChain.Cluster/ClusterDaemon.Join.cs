using ActorChain.Actors;
using static ActorChain.Cluster.ClusterProtocol;

namespace ActorChain.Cluster;

internal sealed partial class ClusterDaemon
{
    private readonly HashSet<Address> _seedNacks = [];
    private IReadOnlyList<Address> _seeds = [];
    private bool _joinInProgress;
    private Address? _joinTarget;

    private bool IsFirstSeed => _seeds.Count > 0 && _seeds[0] == _self.Address;

    private void OnJoinSeedNodes(IReadOnlyList<Address> seeds)
    {
        if (_shutDown || SelfMember is not null)
        {
            return;
        }

        _seeds = [.. seeds.Distinct()];
        if (_seeds.Count == 0)
        {
            return;
        }

        ClusterLog.JoiningSeedNodes(Log, _self.NodeId, _settings.ClusterId, string.Join(", ", _seeds));
        if (_seeds.Count == 1 && IsFirstSeed)
        {
            JoinSelf();
            return;
        }

        StartJoinRound();
    }

    private void StartJoinRound()
    {
        _joinInProgress = true;
        _joinTarget = null;
        _seedNacks.Clear();
        foreach (var seed in _seeds.Where(s => s != _self.Address))
        {
            _transport.Send(seed, new InitJoin(_self, _settings.ClusterId));
        }

        if (IsFirstSeed)
        {
            Timers.StartSingleTimer(Tick.SeedNodeTimeout, Tick.SeedNodeTimeout, _settings.SeedNodeTimeout);
        }

        // Without an answer the seeds are asked again; this is also how a node keeps knocking
        // until some seed is up, and how a lost Join or Welcome is repaired.
        var retry = _settings.RetryUnsuccessfulJoinAfter;
        if (IsFirstSeed && retry <= _settings.SeedNodeTimeout)
        {
            retry = _settings.SeedNodeTimeout * 2;
        }

        Timers.StartSingleTimer(Tick.RetryJoin, Tick.RetryJoin, retry);
    }

    private void OnRetryJoin()
    {
        if (_joinInProgress && SelfMember is null)
        {
            StartJoinRound();
        }
    }

    private void OnSeedNodeTimeout()
    {
        if (_joinInProgress && SelfMember is null && _joinTarget is null && IsFirstSeed)
        {
            JoinSelf();
        }
    }

    private void OnPeerConnected(Address peer)
    {
        ClusterLog.LinkChanged(Log, _self.NodeId, peer, "up");
        if (_joinInProgress && _joinTarget is null && SelfMember is null && _seeds.Contains(peer) && peer != _self.Address)
        {
            _transport.Send(peer, new InitJoin(_self, _settings.ClusterId));
        }
    }

    /// <summary>The first seed forms the cluster when no other seed is a member (Akka's rule), so two clusters never form from one seed list.</summary>
    private void JoinSelf()
    {
        StopJoining();
        ClusterLog.FormedCluster(Log, _self.NodeId, _settings.ClusterId);
        Modify(Gossip.Empty.WithMember(new Member(_self, MemberStatus.Joining)));
        TryMembershipTransitions();
    }

    private void StopJoining()
    {
        _joinInProgress = false;
        _joinTarget = null;
        Timers.Cancel(Tick.SeedNodeTimeout);
        Timers.Cancel(Tick.RetryJoin);
    }

    private void OnInitJoin(InitJoin request)
    {
        if (request.ClusterId != _settings.ClusterId)
        {
            ClusterLog.RefusedWrongClusterId(Log, nameof(InitJoin), request.From.NodeId, request.ClusterId, _settings.ClusterId);
            _transport.Send(request.From.Address, new InitJoinNack(_self, $"cluster id '{request.ClusterId}' is not '{_settings.ClusterId}'"));
            return;
        }

        _transport.Send(
            request.From.Address,
            SelfMember?.Status is MemberStatus.Up or MemberStatus.Leaving && !_shutDown ? new InitJoinAck(_self) : new InitJoinNack(_self));
    }

    private void OnInitJoinAck(InitJoinAck ack)
    {
        if (!_joinInProgress || SelfMember is not null || _joinTarget is not null)
        {
            return;
        }

        _joinTarget = ack.From.Address;
        Timers.Cancel(Tick.SeedNodeTimeout);
        _transport.Send(ack.From.Address, new ClusterProtocol.Join(_self, _settings.ClusterId));
    }

    private void OnInitJoinNack(InitJoinNack nack)
    {
        if (nack.Reason is { } reason)
        {
            ClusterLog.JoinRefused(Log, nack.From.NodeId, _self.NodeId, reason);
            return;
        }

        if (!_joinInProgress || SelfMember is not null || !IsFirstSeed)
        {
            return;
        }

        _seedNacks.Add(nack.From.Address);
        if (_joinTarget is null && _seeds.All(s => s == _self.Address || _seedNacks.Contains(s)))
        {
            JoinSelf();
        }
    }

    private void OnJoin(ClusterProtocol.Join join)
    {
        if (join.ClusterId != _settings.ClusterId)
        {
            ClusterLog.RefusedWrongClusterId(Log, nameof(Join), join.From.NodeId, join.ClusterId, _settings.ClusterId);
            return;
        }

        if (SelfMember?.Status is not (MemberStatus.Up or MemberStatus.Leaving) || _shutDown)
        {
            return;
        }

        if (_gossip.MemberOf(join.From) is { } existing)
        {
            // A repeated Join (its Welcome was lost) is answered again; a downed or removed
            // incarnation may not come back and must restart with a new uid.
            if (existing.Status is MemberStatus.Joining or MemberStatus.Up)
            {
                SendWelcome(join.From);
            }

            return;
        }

        var changed = _gossip;
        if (changed.LiveMemberAt(join.From.Address) is { Status: not MemberStatus.Down } old)
        {
            ClusterLog.DowningOldIncarnation(Log, join.From.NodeId, old.UniqueAddress.NodeId);
            changed = changed.WithMember(old.WithStatus(MemberStatus.Down));
        }

        ClusterLog.MemberJoining(Log, join.From.NodeId, _self.NodeId);
        Modify(changed.WithMember(new Member(join.From, MemberStatus.Joining)));
        SendWelcome(join.From);
    }

    private void SendWelcome(UniqueAddress joiner) => _transport.Send(joiner.Address, new Welcome(_self, _gossip));

    private void OnWelcome(UniqueAddress from, Gossip gossip)
    {
        if (!_joinInProgress || SelfMember is not null || gossip.MemberOf(_self)?.Status != MemberStatus.Joining)
        {
            return;
        }

        StopJoining();
        ClusterLog.Welcomed(Log, _self.NodeId, from.NodeId);
        Update(_gossip.Merge(gossip).WithSeen(_self));
        _transport.Send(from.Address, new GossipEnvelope(_self, from, _settings.ClusterId, _gossip));
    }
}
