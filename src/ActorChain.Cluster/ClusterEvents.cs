using System.Collections.Immutable;
using ActorChain.Actors;

namespace ActorChain.Cluster;

/// <summary>Events published to subscribers of <see cref="Cluster.Subscribe"/>, Akka's ClusterEvent.</summary>
public static class ClusterEvent
{
    public interface IClusterDomainEvent;

    public interface IMemberEvent : IClusterDomainEvent
    {
        Member Member { get; }
    }

    public interface IReachabilityEvent : IClusterDomainEvent
    {
        Member Member { get; }
    }

    public sealed record MemberJoined(Member Member) : IMemberEvent;

    public sealed record MemberUp(Member Member) : IMemberEvent;

    public sealed record MemberLeft(Member Member) : IMemberEvent;

    public sealed record MemberExited(Member Member) : IMemberEvent;

    public sealed record MemberDowned(Member Member) : IMemberEvent;

    public sealed record MemberRemoved(Member Member, MemberStatus PreviousStatus) : IMemberEvent;

    public sealed record UnreachableMember(Member Member) : IReachabilityEvent;

    public sealed record ReachableMember(Member Member) : IReachabilityEvent;

    /// <summary>Sent first to every new subscriber. <paramref name="Members"/> excludes Removed members.</summary>
    public sealed record CurrentClusterState(
        ImmutableSortedSet<Member> Members,
        ImmutableSortedSet<Member> Unreachable,
        ImmutableSortedSet<Address> SeenBy)
    {
        public static readonly CurrentClusterState Empty = new([], [], ImmutableSortedSet.Create<Address>(AddressOrdering.Instance));

        public IEnumerable<Member> UpMembers => Members.Where(m => m.Status == MemberStatus.Up);

        public bool IsUnreachable(Address address) => Unreachable.Any(m => m.Address == address);

        /// <summary>The state as <paramref name="self"/> sees it; as in Akka, it is never in its own unreachable set, whatever other members observed of it.</summary>
        internal static CurrentClusterState From(Gossip gossip, UniqueAddress self)
        {
            var unreachable = gossip.UnreachableMembers();
            return new CurrentClusterState(
                [.. gossip.LiveMembers],
                [.. gossip.LiveMembers.Where(m => m.UniqueAddress != self && unreachable.Contains(m.UniqueAddress))],
                ImmutableSortedSet.CreateRange(AddressOrdering.Instance, gossip.Seen.Select(s => s.Address)));
        }
    }
}
