using System.Collections.Immutable;
using static ActorChain.Cluster.ClusterProtocol;

namespace ActorChain.Cluster;

internal sealed partial class ClusterDaemon
{
    private readonly Dictionary<UniqueAddress, PhiAccrualFailureDetector> _detectors = [];
    private ImmutableSortedSet<UniqueAddress> _downingView = [];
    private long _downingViewSince;
    private long _heartbeatSequence;

    private void SyncFailureDetectors()
    {
        var monitored = _gossip.Members.Values
            .Where(m => !m.UniqueAddress.Equals(_self) && m.Status is not (MemberStatus.Down or MemberStatus.Removed))
            .Select(m => m.UniqueAddress)
            .ToHashSet();
        foreach (var gone in _detectors.Keys.Where(k => !monitored.Contains(k)).ToList())
        {
            _detectors.Remove(gone);
        }

        foreach (var node in monitored.Where(n => !_detectors.ContainsKey(n)))
        {
            var detector = new PhiAccrualFailureDetector(
                _settings.Threshold,
                _settings.MaxSampleSize,
                _settings.MinStdDeviation,
                _settings.AcceptableHeartbeatPause,
                _settings.HeartbeatInterval,
                _clockMs);

            // Starts the clock as if a heartbeat had just arrived, so a member that never answers
            // at all becomes unreachable too (Akka's expected-first-heartbeat).
            detector.Heartbeat();
            _detectors.Add(node, detector);
        }
    }

    private void SendHeartbeats()
    {
        if (!IsMember)
        {
            return;
        }

        _heartbeatSequence++;
        foreach (var node in _detectors.Keys)
        {
            _transport.Send(node.Address, new Heartbeat(_self, _heartbeatSequence));
        }
    }

    private void OnHeartbeatResponse(HeartbeatRsp response)
    {
        if (_detectors.TryGetValue(response.From, out var detector))
        {
            detector.Heartbeat();
        }
    }

    /// <summary>Turns this node's failure-detector verdicts into its rows of the reachability table.</summary>
    private void ReapUnreachable()
    {
        if (!IsMember)
        {
            return;
        }

        var overview = _gossip.Overview;
        foreach (var (node, detector) in _detectors)
        {
            var available = detector.IsAvailable;
            var recorded = overview.StatusOf(_self, node);
            if (!available && recorded == ReachabilityStatus.Reachable)
            {
                ClusterLog.MarkedUnreachable(Log, _self.NodeId, node.NodeId, detector.Phi());
                overview = overview.Unreachable(_self, node);
            }
            else if (available && recorded == ReachabilityStatus.Unreachable)
            {
                ClusterLog.MarkedReachable(Log, _self.NodeId, node.NodeId);
                overview = overview.Reachable(_self, node);
            }
        }

        if (!ReferenceEquals(overview, _gossip.Overview))
        {
            Modify(_gossip.WithOverview(overview));
        }
    }

    /// <summary>
    /// Keep-majority: decides only after the unreachable set has stayed the same for stable-after,
    /// so both sides of a clean partition decide on the same picture. This node always counts
    /// itself on its own side; a side that is not the majority (or loses the even-split tie)
    /// downs only itself, never the other side.
    /// </summary>
    private void KeepMajorityDowning()
    {
        var keepMajority = _settings.Downing.KeepMajority;
        if (!keepMajority.Enabled || SelfMember?.Status is not (MemberStatus.Up or MemberStatus.Leaving) || _shutDown)
        {
            return;
        }

        var unreachable = ImmutableSortedSet.CreateRange(_gossip.UnreachableMembers()
            .Where(n => _gossip.MemberOf(n)?.Status != MemberStatus.Down && !n.Equals(_self)));
        var now = _clockMs();
        if (!unreachable.SetEquals(_downingView))
        {
            _downingView = unreachable;
            _downingViewSince = now;
            return;
        }

        if (unreachable.IsEmpty || now - _downingViewSince < (long)keepMajority.StableAfter.TotalMilliseconds)
        {
            return;
        }

        var counted = _gossip.Members.Values
            .Where(m => m.Status is MemberStatus.Up or MemberStatus.Leaving || m.UniqueAddress.Equals(_self))
            .ToList();
        var ourSide = counted.Count(m => !unreachable.Contains(m.UniqueAddress));
        var weWin = ourSide * 2 > counted.Count ||
            (ourSide * 2 == counted.Count && !unreachable.Contains(counted.Min()!.UniqueAddress));

        _downingViewSince = now;
        if (weWin)
        {
            ClusterLog.DowningUnreachable(Log, _self.NodeId, ourSide, counted.Count, string.Join(", ", unreachable.Select(n => n.NodeId)));
            var members = _gossip.Members;
            foreach (var node in unreachable)
            {
                members = members.SetItem(node, members[node].WithStatus(MemberStatus.Down));
            }

            Modify(_gossip.WithMembers(members));
            TryMembershipTransitions();
        }
        else
        {
            ClusterLog.DowningSelf(Log, _self.NodeId, ourSide, counted.Count);
            Modify(_gossip.WithMember(SelfMember!.WithStatus(MemberStatus.Down)));
        }
    }
}
