using ActorChain.Actors;

namespace ActorChain.Cluster;

/// <summary>
/// Sends a message to the actor with the same path (e.g. <c>/user/chain</c>) on every reachable Up member:
/// the pub-sub the consensus layer needs to reach its peer ChainActors, without a singleton.
/// Delivery is best effort over the cluster transport; the receiver sees no sender, so a message
/// that wants a reply carries its own return address.
/// </summary>
public sealed class ClusterBroadcast
{
    private readonly Cluster _cluster;

    internal ClusterBroadcast(Cluster cluster)
    {
        _cluster = cluster;
    }

    /// <summary>The actor paths the broadcast would reach now.</summary>
    public IReadOnlyList<ActorPath> Targets(string actorPath, bool includeSelf = true) =>
        [.. UpMembers(includeSelf).Select(m => ActorPath.Parse(m.Address + Validate(actorPath)))];

    /// <summary>Returns how many members the message was sent to.</summary>
    public int Tell(string actorPath, object message, bool includeSelf = true)
    {
        Validate(actorPath);
        ArgumentNullException.ThrowIfNull(message);
        var count = 0;
        foreach (var member in UpMembers(includeSelf))
        {
            if (member.UniqueAddress.Equals(_cluster.SelfUniqueAddress))
            {
                if (_cluster.System.TryResolveLocal(ActorPath.Parse(member.Address + actorPath), out var local))
                {
                    local.Tell(message, ActorRefs.NoSender);
                }
            }
            else
            {
                _cluster.Transport.Send(member.Address, new ClusterProtocol.Deliver(_cluster.SelfUniqueAddress, actorPath, message));
            }

            count++;
        }

        return count;
    }

    private IEnumerable<Member> UpMembers(bool includeSelf) =>
        _cluster.State.Members.Where(m =>
            m.Status == MemberStatus.Up &&
            !_cluster.State.Unreachable.Contains(m) &&
            (includeSelf || !m.UniqueAddress.Equals(_cluster.SelfUniqueAddress)));

    private static string Validate(string actorPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(actorPath);
        if (!actorPath.StartsWith('/') || !ActorPath.TryParse(Address.Protocol + "://x" + actorPath, out _))
        {
            throw new ArgumentException($"'{actorPath}' is not an actor path like /user/chain.", nameof(actorPath));
        }

        return actorPath;
    }
}
