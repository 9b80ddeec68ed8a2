using System.Collections.Immutable;
using ActorChain.Actors;
using static ActorChain.Cluster.ClusterEvent;
using static ActorChain.Cluster.ClusterProtocol;

namespace ActorChain.Cluster;

internal sealed partial class ClusterDaemon
{
    private readonly List<(IActorRef Subscriber, ImmutableArray<Type> EventTypes)> _subscribers = [];
    private readonly List<Action> _onMemberUp = [];
    private readonly List<Action> _onMemberRemoved = [];
    private bool _wasUp;

    private void OnSubscribe(IActorRef subscriber, ImmutableArray<Type> eventTypes)
    {
        _subscribers.RemoveAll(s => s.Subscriber.Equals(subscriber));
        _subscribers.Add((subscriber, eventTypes.IsDefaultOrEmpty ? [typeof(IClusterDomainEvent)] : eventTypes));
        Context.Watch(subscriber);
        subscriber.Tell(CurrentClusterState.From(_gossip, _self), Self);
    }

    private void OnUnsubscribe(IActorRef subscriber)
    {
        _subscribers.RemoveAll(s => s.Subscriber.Equals(subscriber));
        Context.Unwatch(subscriber);
    }

    private void PublishChanges(Gossip previous, Gossip next)
    {
        foreach (var member in next.Members.Values)
        {
            var before = previous.MemberOf(member.UniqueAddress)?.Status;
            if (before == member.Status)
            {
                continue;
            }

            var node = member.UniqueAddress.NodeId;
            IMemberEvent? change = member.Status switch
            {
                MemberStatus.Joining => new MemberJoined(member),
                MemberStatus.Up => new MemberUp(member),
                MemberStatus.Leaving => new MemberLeft(member),
                MemberStatus.Exiting => new MemberExited(member),
                MemberStatus.Down => new MemberDowned(member),
                MemberStatus.Removed when before is { } was => new MemberRemoved(member, was),
                _ => null,
            };

            switch (change)
            {
                case MemberUp:
                    ClusterLog.MemberUp(Log, node, _self.NodeId);
                    break;
                case MemberLeft:
                    ClusterLog.MemberLeaving(Log, node, _self.NodeId);
                    break;
                case MemberExited:
                    ClusterLog.MemberExiting(Log, node, _self.NodeId);
                    break;
                case MemberDowned:
                    ClusterLog.MemberDowned(Log, node, _self.NodeId);
                    break;
                case MemberRemoved removed:
                    ClusterLog.MemberRemoved(Log, node, removed.PreviousStatus, _self.NodeId);
                    break;
            }

            if (change is not null)
            {
                PublishEvent(change);
            }
        }

        // As in Akka, a node publishes no reachability event about itself: what others observed of it during a
        // partition reaches it by gossip once healed, but its subscribers only hear about other members.
        var wasUnreachable = previous.UnreachableMembers().Remove(_self);
        var isUnreachable = next.UnreachableMembers().Remove(_self);
        foreach (var node in isUnreachable.Except(wasUnreachable))
        {
            PublishEvent(new UnreachableMember(next.Members[node]));
        }

        foreach (var node in wasUnreachable.Except(isUnreachable))
        {
            if (next.MemberOf(node) is { Status: not (MemberStatus.Down or MemberStatus.Removed) } member)
            {
                PublishEvent(new ReachableMember(member));
            }
        }
    }

    private void PublishEvent(IClusterDomainEvent change)
    {
        foreach (var (subscriber, types) in _subscribers)
        {
            if (types.Any(t => t.IsInstanceOfType(change)))
            {
                subscriber.Tell(change, Self);
            }
        }
    }

    private void OnRegisterOnMemberUp(Action callback)
    {
        if (_wasUp)
        {
            Run(callback, "member-up");
        }
        else
        {
            _onMemberUp.Add(callback);
        }
    }

    private void OnRegisterOnMemberRemoved(Action callback)
    {
        if (_shutDown)
        {
            Run(callback, "member-removed");
        }
        else
        {
            _onMemberRemoved.Add(callback);
        }
    }

    private void RunOnMemberUp()
    {
        if (_wasUp)
        {
            return;
        }

        _wasUp = true;
        foreach (var callback in _onMemberUp)
        {
            Run(callback, "member-up");
        }

        _onMemberUp.Clear();
    }

    private void RunOnMemberRemoved()
    {
        foreach (var callback in _onMemberRemoved)
        {
            Run(callback, "member-removed");
        }

        _onMemberRemoved.Clear();
    }

    private void Run(Action callback, string hook)
    {
        try
        {
            callback();
        }
        catch (Exception ex)
        {
            ClusterLog.CallbackFailed(Log, ex, hook, _self.NodeId);
        }
    }

    private void OnLeave(Address address)
    {
        if (IsMember && _gossip.LiveMemberAt(address) is { Status: MemberStatus.Joining or MemberStatus.Up } member)
        {
            Modify(_gossip.WithMember(member.WithStatus(MemberStatus.Leaving)));
            TryMembershipTransitions();
        }
    }

    private void OnDown(Address address)
    {
        if (IsMember && _gossip.LiveMemberAt(address) is { Status: not MemberStatus.Down } member)
        {
            ClusterLog.OperatorDown(Log, member.UniqueAddress.NodeId, _self.NodeId);
            Modify(_gossip.WithMember(member.WithStatus(MemberStatus.Down)));
            TryMembershipTransitions();
        }
    }

    private void OnDeliver(Deliver deliver)
    {
        if (!ActorPath.TryParse(_self.Address + deliver.Path, out var path) ||
            !Context.System.TryResolveLocal(path, out var target))
        {
            ClusterLog.DeliveryTargetMissing(Log, deliver.From.NodeId, deliver.Path, _self.NodeId);
            return;
        }

        target.Tell(deliver.Message, ActorRefs.NoSender);
    }
}
