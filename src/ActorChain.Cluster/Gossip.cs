using System.Collections.Immutable;

namespace ActorChain.Cluster;

/// <summary>
/// The replicated member table: members (Removed ones stay as tombstones so a stale gossip cannot
/// resurrect them), the reachability table, a vector clock, and the nodes that have seen exactly
/// this version. Immutable; every node converges on the same table by merging what it receives.
/// </summary>
public sealed class Gossip : IEquatable<Gossip>
{
    public static readonly Gossip Empty = new(
        ImmutableSortedDictionary<UniqueAddress, Member>.Empty, Reachability.Empty, VectorClock.Empty, []);

    public Gossip(
        ImmutableSortedDictionary<UniqueAddress, Member> members,
        Reachability overview,
        VectorClock version,
        ImmutableSortedSet<UniqueAddress> seen)
    {
        Members = members;
        Overview = overview;
        Version = version;
        Seen = seen;
    }

    public ImmutableSortedDictionary<UniqueAddress, Member> Members { get; }

    public Reachability Overview { get; }

    public VectorClock Version { get; }

    public ImmutableSortedSet<UniqueAddress> Seen { get; }

    /// <summary>Members that are neither Removed nor tombstones: what users see.</summary>
    public IEnumerable<Member> LiveMembers => Members.Values.Where(m => m.Status != MemberStatus.Removed);

    public Member? MemberOf(UniqueAddress node) => Members.GetValueOrDefault(node);

    /// <summary>
    /// The member at <paramref name="address"/> that is not Removed, preferring one that is not Down
    /// (after a restart the old incarnation is Down until removed and the new one is Joining).
    /// </summary>
    public Member? LiveMemberAt(Actors.Address address) =>
        LiveMembers.Where(m => m.Address == address).OrderBy(m => m.Status == MemberStatus.Down).FirstOrDefault();

    public Gossip WithMembers(ImmutableSortedDictionary<UniqueAddress, Member> members) => new(members, Overview, Version, Seen);

    public Gossip WithMember(Member member) => WithMembers(Members.SetItem(member.UniqueAddress, member));

    public Gossip WithOverview(Reachability overview) => new(Members, overview, Version, Seen);

    public Gossip Increment(UniqueAddress node) => new(Members, Overview, Version.Increment(node.NodeId), Seen);

    public Gossip OnlySeen(UniqueAddress node) => new(Members, Overview, Version, [node]);

    public Gossip WithSeen(UniqueAddress node) => Seen.Contains(node) ? this : new(Members, Overview, Version, Seen.Add(node));

    public Gossip WithSeen(IEnumerable<UniqueAddress> nodes) => new(Members, Overview, Version, Seen.Union(nodes));

    /// <summary>
    /// The lattice join of two tables: union of members, the higher-precedence status of each,
    /// the newer reachability row per observer and subject, the merged clock. Seen sets survive
    /// only where they still describe the result: both when the versions are equal, the newer
    /// side's when one dominates, none when the versions are concurrent.
    /// </summary>
    public Gossip Merge(Gossip other)
    {
        var members = Members;
        foreach (var (node, theirs) in other.Members)
        {
            members = members.TryGetValue(node, out var mine)
                ? members.SetItem(node, Member.HighestPriorityOf(mine, theirs))
                : members.Add(node, theirs);
        }

        var removed = members.Values.Where(m => m.Status == MemberStatus.Removed).Select(m => m.UniqueAddress).ToHashSet();
        var overview = Overview.Merge(other.Overview).Remove(removed);
        var seen = Version.Compare(other.Version) switch
        {
            ClockOrdering.Same => Seen.Union(other.Seen),
            ClockOrdering.After => Seen,
            ClockOrdering.Before => other.Seen,
            _ => [],
        };

        return new Gossip(members, overview, Version.Merge(other.Version), seen);
    }

    /// <summary>
    /// The members <paramref name="self"/> may gossip to: every other member that still takes part and that
    /// <paramref name="self"/> itself finds reachable. Another observer's verdict does not count here (as in
    /// Akka): after a pause that made every node mark every other unreachable, each node holds the others'
    /// stale rows, and if those barred gossip nobody would tell anybody that all are reachable again.
    /// </summary>
    public IReadOnlyList<Member> GossipTargets(UniqueAddress self) =>
        [.. Members.Values.Where(m =>
            !m.UniqueAddress.Equals(self) &&
            m.Status is not (MemberStatus.Down or MemberStatus.Removed) &&
            Overview.StatusOf(self, m.UniqueAddress) != ReachabilityStatus.Unreachable)];

    /// <summary>Unreachable members, judged only by observers that still take part (not Down, not Removed).</summary>
    public ImmutableSortedSet<UniqueAddress> UnreachableMembers()
    {
        var gone = Members.Values.Where(m => m.Status is MemberStatus.Down or MemberStatus.Removed).Select(m => m.UniqueAddress).ToHashSet();
        return [.. Overview.UnreachableSubjects(gone).Where(s => Members.TryGetValue(s, out var m) && m.Status != MemberStatus.Removed)];
    }

    /// <summary>
    /// Convergence as Akka defines it: every member that is not Down or Removed has seen this
    /// version, and every unreachable one is Down or Exiting (Down ones do not count at all).
    /// </summary>
    public bool Converged(UniqueAddress self)
    {
        if (!Members.TryGetValue(self, out var me) || me.Status is MemberStatus.Down or MemberStatus.Removed)
        {
            return false;
        }

        var unreachable = UnreachableMembers();
        foreach (var member in Members.Values)
        {
            if (member.Status is MemberStatus.Down or MemberStatus.Removed)
            {
                continue;
            }

            if (unreachable.Contains(member.UniqueAddress))
            {
                if (member.Status != MemberStatus.Exiting)
                {
                    return false;
                }
            }
            else if (!Seen.Contains(member.UniqueAddress))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The membership transitions every node applies once it sees convergence: Joining → Up,
    /// Leaving → Exiting, Exiting → Removed, Down → Removed. They depend only on the converged
    /// table, which every node holds identically then, so no leader is needed to pick them.
    /// Returns the same instance when there is nothing to do.
    /// </summary>
    public Gossip MembershipTransitions()
    {
        var members = Members;
        foreach (var member in Members.Values)
        {
            var next = member.Status switch
            {
                MemberStatus.Joining => MemberStatus.Up,
                MemberStatus.Leaving => MemberStatus.Exiting,
                MemberStatus.Exiting or MemberStatus.Down => MemberStatus.Removed,
                _ => member.Status,
            };

            if (next != member.Status)
            {
                members = members.SetItem(member.UniqueAddress, member.WithStatus(next));
            }
        }

        if (members == Members)
        {
            return this;
        }

        var removed = members.Values.Where(m => m.Status == MemberStatus.Removed).Select(m => m.UniqueAddress).ToHashSet();
        return new Gossip(members, Overview.Remove(removed), Version, Seen);
    }

    public bool Equals(Gossip? other) =>
        other is not null &&
        Version.Equals(other.Version) &&
        Seen.SetEquals(other.Seen) &&
        Overview.Equals(other.Overview) &&
        Members.Count == other.Members.Count &&
        Members.All(m => other.Members.TryGetValue(m.Key, out var theirs) && theirs == m.Value);

    public override bool Equals(object? obj) => obj is Gossip other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Version, Members.Count, Seen.Count);

    public override string ToString() =>
        $"Gossip({string.Join(", ", Members.Values)}, {Overview}, {Version}, seen: {string.Join(", ", Seen.Select(s => s.NodeId))})";
}
