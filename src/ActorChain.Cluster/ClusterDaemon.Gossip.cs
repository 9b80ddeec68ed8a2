using static ActorChain.Cluster.ClusterProtocol;

namespace ActorChain.Cluster;

internal sealed partial class ClusterDaemon
{
    private void GossipToRandomPeer()
    {
        if (!IsMember)
        {
            return;
        }

        var peers = _gossip.GossipTargets(_self);
        if (peers.Count == 0)
        {
            return;
        }

        // Prefer a peer that has not seen this version yet, as Akka does while not converged:
        // it halves the rounds convergence takes in small clusters.
        var notSeen = peers.Where(m => !_gossip.Seen.Contains(m.UniqueAddress)).ToList();
        var candidates = notSeen.Count > 0 && _random.Next(2) == 0 ? notSeen : peers;
        SendGossip(candidates[_random.Next(candidates.Count)].UniqueAddress);
    }

    private void SendGossip(UniqueAddress to) =>
        _transport.Send(to.Address, new GossipEnvelope(_self, to, _settings.ClusterId, _gossip));

    private void OnGossip(GossipEnvelope envelope)
    {
        if (envelope.ClusterId != _settings.ClusterId)
        {
            ClusterLog.RefusedWrongClusterId(Log, "gossip", envelope.From.NodeId, envelope.ClusterId, _settings.ClusterId);
            return;
        }

        if (!envelope.To.Equals(_self))
        {
            return;
        }

        var remote = envelope.Gossip;
        if (SelfMember is null)
        {
            // The Welcome was lost but a member already gossips the table that admits this node.
            OnWelcome(envelope.From, remote);
            return;
        }

        if (!IsMember)
        {
            return;
        }

        if (_gossip.MemberOf(envelope.From)?.Status is MemberStatus.Down or MemberStatus.Removed ||
            !remote.Members.ContainsKey(_self))
        {
            // The sender is behind: it does not know this node, or not that it has been removed.
            SendGossip(envelope.From);
            return;
        }

        Update(_gossip.Merge(remote).WithSeen(_self));
        if (!_shutDown && !_gossip.Equals(remote))
        {
            SendGossip(envelope.From);
        }

        TryMembershipTransitions();
    }

    private void TryMembershipTransitions()
    {
        if (!IsMember || !_gossip.Converged(_self))
        {
            return;
        }

        var next = _gossip.MembershipTransitions();
        if (ReferenceEquals(next, _gossip))
        {
            return;
        }

        var newlyRemoved = next.Members.Values
            .Where(m => m.Status == MemberStatus.Removed && _gossip.MemberOf(m.UniqueAddress)?.Status != MemberStatus.Removed && !m.UniqueAddress.Equals(_self))
            .Select(m => m.UniqueAddress)
            .ToList();
        Modify(next);

        // Nobody gossips to a removed member, so it hears of its removal here or by gossiping itself.
        foreach (var removed in newlyRemoved)
        {
            SendGossip(removed);
        }
    }
}
