using System.Collections.Immutable;
using ActorChain.Actors;
using FsCheck;
using FsCheck.Fluent;

namespace ActorChain.Cluster.Tests;

public sealed class GossipTests
{
    internal static readonly UniqueAddress[] Nodes =
        [.. Enumerable.Range(0, 4).Select(i => new UniqueAddress(new Address("actorchain", "10.0.0." + (i + 1), 4053), 100 + i))];

    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(300);

    [Fact]
    public void Merge_IsCommutative() =>
        Check.One(Quick, Prop.ForAll(GossipGen.Two().ToArbitrary(), p =>
            p.Item1.Merge(p.Item2).Equals(p.Item2.Merge(p.Item1))));

    [Fact]
    public void Merge_IsAssociative() =>
        Check.One(Quick, Prop.ForAll(GossipGen.Three().ToArbitrary(), t =>
            t.Item1.Merge(t.Item2).Merge(t.Item3).Equals(t.Item1.Merge(t.Item2.Merge(t.Item3)))));

    [Fact]
    public void Merge_IsIdempotent() =>
        Check.One(Quick, Prop.ForAll(GossipGen.ToArbitrary(), g => g.Merge(g).Equals(g)));

    [Fact]
    public void Merge_KeepsTheHighestPrecedenceStatusOfEveryMember() =>
        Check.One(Quick, Prop.ForAll(GossipGen.Two().ToArbitrary(), p =>
        {
            var merged = p.Item1.Merge(p.Item2);
            return Nodes.All(n =>
            {
                var statuses = new[] { p.Item1.MemberOf(n), p.Item2.MemberOf(n) }.OfType<Member>().Select(m => m.Status).ToList();
                var result = merged.MemberOf(n);
                return statuses.Count == 0
                    ? result is null
                    : result is not null && Member.Precedence(result.Status) == statuses.Max(Member.Precedence);
            });
        }));

    [Fact]
    public void Merge_HasAVersionAtLeastAsNewAsBothSides() =>
        Check.One(Quick, Prop.ForAll(GossipGen.Two().ToArbitrary(), p =>
        {
            var merged = p.Item1.Merge(p.Item2).Version;
            return merged.Compare(p.Item1.Version) is ClockOrdering.Same or ClockOrdering.After &&
                   merged.Compare(p.Item2.Version) is ClockOrdering.Same or ClockOrdering.After;
        }));

    [Theory]
    [InlineData(MemberStatus.Up, MemberStatus.Joining, MemberStatus.Up)]
    [InlineData(MemberStatus.Leaving, MemberStatus.Up, MemberStatus.Leaving)]
    [InlineData(MemberStatus.Exiting, MemberStatus.Leaving, MemberStatus.Exiting)]
    [InlineData(MemberStatus.Down, MemberStatus.Exiting, MemberStatus.Down)]
    [InlineData(MemberStatus.Removed, MemberStatus.Down, MemberStatus.Removed)]
    public void Merge_OfTwoViewsOfOneMember_TakesTheLaterStatus(MemberStatus a, MemberStatus b, MemberStatus expected)
    {
        var left = Gossip.Empty.WithMember(new Member(Nodes[0], a)).Increment(Nodes[0]);
        var right = Gossip.Empty.WithMember(new Member(Nodes[0], b)).Increment(Nodes[1]);

        Assert.Equal(expected, left.Merge(right).MemberOf(Nodes[0])!.Status);
    }

    [Fact]
    public void Merge_OfConcurrentVersions_ClearsSeen_AndOfEqualVersions_UnitesIt()
    {
        var baseline = Gossip.Empty.WithMember(new Member(Nodes[0], MemberStatus.Up)).WithMember(new Member(Nodes[1], MemberStatus.Up));
        var a = baseline.Increment(Nodes[0]).OnlySeen(Nodes[0]);
        var b = baseline.Increment(Nodes[1]).OnlySeen(Nodes[1]);
        var sameAsA = a.OnlySeen(Nodes[1]);

        Assert.Empty(a.Merge(b).Seen);
        Assert.Equal([Nodes[0], Nodes[1]], a.Merge(sameAsA).Seen);
    }

    [Fact]
    public void Merge_DropsReachabilityRowsAboutRemovedMembers()
    {
        var withRow = Gossip.Empty
            .WithMember(new Member(Nodes[0], MemberStatus.Up))
            .WithMember(new Member(Nodes[1], MemberStatus.Up))
            .WithOverview(Reachability.Empty.Unreachable(Nodes[0], Nodes[1]));
        var removed = Gossip.Empty.WithMember(new Member(Nodes[1], MemberStatus.Removed)).Increment(Nodes[0]);

        var merged = withRow.Merge(removed);

        Assert.Empty(merged.Overview.Records);
        Assert.Empty(merged.UnreachableMembers());
    }

    [Fact]
    public void Converged_RequiresEveryReachableMemberToHaveSeenTheVersion()
    {
        var gossip = Gossip.Empty
            .WithMember(new Member(Nodes[0], MemberStatus.Up))
            .WithMember(new Member(Nodes[1], MemberStatus.Joining))
            .WithMember(new Member(Nodes[2], MemberStatus.Down))
            .OnlySeen(Nodes[0]);

        Assert.False(gossip.Converged(Nodes[0]));
        Assert.True(gossip.WithSeen(Nodes[1]).Converged(Nodes[0]));
    }

    [Fact]
    public void Converged_IsBlockedByAnUnreachableMemberUnlessItIsExiting()
    {
        var gossip = Gossip.Empty
            .WithMember(new Member(Nodes[0], MemberStatus.Up))
            .WithMember(new Member(Nodes[1], MemberStatus.Up))
            .WithOverview(Reachability.Empty.Unreachable(Nodes[0], Nodes[1]))
            .OnlySeen(Nodes[0]);

        Assert.False(gossip.Converged(Nodes[0]));
        Assert.True(gossip.WithMember(new Member(Nodes[1], MemberStatus.Exiting)).Converged(Nodes[0]));
        Assert.True(gossip.WithMember(new Member(Nodes[1], MemberStatus.Down)).Converged(Nodes[0]));
    }

    [Fact]
    public void GossipTargets_IgnoreOtherObserversVerdicts_AndSkipOnlyWhatThisNodeFindsUnreachable()
    {
        // After a pause every node marked every other unreachable; node 0 has marked 1 and 2 reachable again,
        // but still holds 1's and 2's stale rows about each other and about it.
        var stale = Reachability.Empty
            .Unreachable(Nodes[1], Nodes[2]).Unreachable(Nodes[2], Nodes[1])
            .Unreachable(Nodes[1], Nodes[0]).Unreachable(Nodes[2], Nodes[0]);
        var gossip = Gossip.Empty
            .WithMember(new Member(Nodes[0], MemberStatus.Up))
            .WithMember(new Member(Nodes[1], MemberStatus.Up))
            .WithMember(new Member(Nodes[2], MemberStatus.Exiting))
            .WithMember(new Member(Nodes[3], MemberStatus.Down))
            .WithOverview(stale);

        Assert.Equal([Nodes[1], Nodes[2]], gossip.GossipTargets(Nodes[0]).Select(m => m.UniqueAddress).Order());
        Assert.Equal([Nodes[2]], gossip.WithOverview(stale.Unreachable(Nodes[0], Nodes[1])).GossipTargets(Nodes[0]).Select(m => m.UniqueAddress));
    }

    [Fact]
    public void MembershipTransitions_MoveEachMemberOneStep()
    {
        var gossip = Gossip.Empty
            .WithMember(new Member(Nodes[0], MemberStatus.Joining))
            .WithMember(new Member(Nodes[1], MemberStatus.Leaving))
            .WithMember(new Member(Nodes[2], MemberStatus.Exiting))
            .WithMember(new Member(Nodes[3], MemberStatus.Down));

        var next = gossip.MembershipTransitions();

        Assert.Equal(
            [MemberStatus.Up, MemberStatus.Exiting, MemberStatus.Removed, MemberStatus.Removed],
            Nodes.Select(n => next.MemberOf(n)!.Status));
        var settled = Gossip.Empty.WithMember(new Member(Nodes[0], MemberStatus.Up));
        Assert.Same(settled, settled.MembershipTransitions());
    }

    [Fact]
    public void VectorClock_OrdersIncrementsAndDetectsConcurrency()
    {
        var zero = VectorClock.Empty;
        var a = zero.Increment("a");
        var ab = a.Increment("b");
        var ac = a.Increment("c");

        Assert.Equal(ClockOrdering.Same, zero.Compare(VectorClock.Empty));
        Assert.Equal(ClockOrdering.Before, a.Compare(ab));
        Assert.Equal(ClockOrdering.After, ab.Compare(a));
        Assert.Equal(ClockOrdering.Concurrent, ab.Compare(ac));
        Assert.Equal(ClockOrdering.After, ab.Merge(ac).Compare(ab));
    }

    [Fact]
    public void Reachability_KeepsTheObserversNewerRow()
    {
        var unreachable = Reachability.Empty.Unreachable(Nodes[0], Nodes[1]);
        var healed = unreachable.Reachable(Nodes[0], Nodes[1]);

        Assert.Equal(ReachabilityStatus.Reachable, unreachable.Merge(healed).StatusOf(Nodes[0], Nodes[1]));
        Assert.Equal(ReachabilityStatus.Reachable, healed.Merge(unreachable).StatusOf(Nodes[0], Nodes[1]));
        Assert.Equal([Nodes[1]], unreachable.UnreachableSubjects());
        Assert.Empty(unreachable.UnreachableSubjects(new HashSet<UniqueAddress> { Nodes[0] }));
    }

    internal static Gen<Gossip> GossipGen { get; } =
        from statuses in Gen.Elements<MemberStatus?>(null, MemberStatus.Joining, MemberStatus.Up, MemberStatus.Leaving, MemberStatus.Exiting, MemberStatus.Down, MemberStatus.Removed).ArrayOf(Nodes.Length)
        from rows in (from o in Gen.Choose(0, Nodes.Length - 1)
                      from s in Gen.Choose(0, Nodes.Length - 1)
                      from unreachable in Gen.Elements(true, false)
                      from version in Gen.Choose(1, 4)
                      select new ReachabilityRecord(Nodes[o], Nodes[s], unreachable ? ReachabilityStatus.Unreachable : ReachabilityStatus.Reachable, version)).ListOf()
        from clock in Gen.Choose(0, 3).ArrayOf(Nodes.Length)
        from seen in Gen.Elements(true, false).ArrayOf(Nodes.Length)
        select Build(statuses, rows, clock, seen);

    private static Gossip Build(MemberStatus?[] statuses, IEnumerable<ReachabilityRecord> rows, int[] clock, bool[] seen)
    {
        var members = ImmutableSortedDictionary<UniqueAddress, Member>.Empty;
        for (var i = 0; i < Nodes.Length; i++)
        {
            if (statuses[i] is { } status)
            {
                members = members.Add(Nodes[i], new Member(Nodes[i], status));
            }
        }

        // A well-formed table has no rows about removed members (merging drops them).
        var removed = members.Values.Where(m => m.Status == MemberStatus.Removed).Select(m => m.UniqueAddress).ToHashSet();
        var overview = Reachability.FromRecords(rows).Remove(removed);
        var versions = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
            Enumerable.Range(0, Nodes.Length).Where(i => clock[i] > 0).Select(i => KeyValuePair.Create(Nodes[i].NodeId, (long)clock[i])));
        return new Gossip(members, overview, new VectorClock(versions), [.. Nodes.Where((_, i) => seen[i])]);
    }
}
