using ActorChain.Actors;
using ActorChain.TestKit;
using Xunit.Abstractions;
using static ActorChain.Cluster.ClusterEvent;

namespace ActorChain.Cluster.Tests;

public sealed class ClusterMembershipSpecs(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan FormTimeout = TestTime.Dilated(TimeSpan.FromSeconds(15));
    private static readonly TimeSpan ChangeTimeout = TestTime.Dilated(TimeSpan.FromSeconds(10));
    private readonly ClusterHarness _harness = new(output);

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void FiveNodes_JoiningThroughTwoSeeds_AllSeeFiveMembersUp()
    {
        var nodes = _harness.StartCluster(5, seedCount: 2);

        AwaitAllUp(nodes);
        Assert.All(nodes, n => Assert.Equal(MemberStatus.Up, n.Cluster.SelfMember.Status));
    }

    [Fact]
    public void LeavingMember_IsRemovedOnEveryNode_AndStopsTakingPart()
    {
        var nodes = _harness.StartCluster(3, seedCount: 1);
        AwaitAllUp(nodes);
        var leaver = nodes[2];

        nodes[0].Cluster.Leave(leaver.Address);

        AwaitAssert(() => Assert.All(nodes.Take(2), n =>
        {
            Assert.Null(n.StatusOf(leaver));
            Assert.Equal(2, n.Members.Count(m => m.Status == MemberStatus.Up));
        }));
        AssertCompletes(leaver.Cluster.WhenTerminated, ChangeTimeout, "the leaving node never learned it was removed");
        Assert.Equal(MemberStatus.Removed, leaver.Cluster.SelfMember.Status);
    }

    [Fact]
    public void BlackholedMember_BecomesUnreachable_AndReachableAgainAfterHeal()
    {
        var nodes = _harness.StartCluster(3, seedCount: 1);
        AwaitAllUp(nodes);
        var watcher = new TestProbe(nodes[0].System);
        nodes[0].Cluster.Subscribe(watcher.Ref, typeof(IReachabilityEvent));
        watcher.ExpectMsg<CurrentClusterState>(s => s.Unreachable.IsEmpty);
        var victim = nodes[2];

        _harness.Network.Partition([victim.Address], [nodes[0].Address, nodes[1].Address]);

        var unreachable = watcher.ExpectMsg<UnreachableMember>(timeout: ChangeTimeout);
        Assert.Equal(victim.Address, unreachable.Member.Address);
        AwaitAssert(() => Assert.True(nodes[1].Cluster.State.IsUnreachable(victim.Address)));

        // The victim saw the other two go unreachable too. Once healed, its observations reach them by gossip:
        // node 1 may show as unreachable for a moment, until the victim's failure detector hears from it again,
        // but (as in Akka) a node publishes no reachability event about itself.
        AwaitAssert(() => Assert.True(victim.Cluster.State.IsUnreachable(nodes[0].Address)));
        _harness.Network.HealAll();

        var events = new List<object>();
        while (!events.Any(e => e is ReachableMember r && r.Member.Address == victim.Address))
        {
            events.Add(watcher.ReceiveOne(ChangeTimeout) ?? throw new Xunit.Sdk.XunitException($"no ReachableMember for the victim within {ChangeTimeout}; got {string.Join(", ", events)}"));
        }

        AwaitAssert(() => Assert.All(nodes, n =>
        {
            Assert.Empty(n.Cluster.State.Unreachable);
            Assert.Equal(3, n.Members.Count(m => m.Status == MemberStatus.Up));
        }));
        while (watcher.ReceiveOne(TimeSpan.FromMilliseconds(300)) is { } late)
        {
            events.Add(late);
        }

        Assert.DoesNotContain(events, e => e is IReachabilityEvent { } r && MemberOf(r).Address == nodes[0].Address);
    }

    private static Member MemberOf(IReachabilityEvent e) => e switch
    {
        UnreachableMember u => u.Member,
        ReachableMember r => r.Member,
        _ => throw new ArgumentOutOfRangeException(nameof(e), e, "not a reachability event"),
    };

    [Fact]
    public void KeepMajority_InThreeToTwoPartition_DownsTheMinorityAndNeverTheMajority()
    {
        var nodes = _harness.StartCluster(5, seedCount: 2, s =>
        {
            s.Downing.KeepMajority.Enabled = true;
            s.Downing.KeepMajority.StableAfter = TimeSpan.FromSeconds(1);
        });
        AwaitAllUp(nodes);
        var majority = nodes.Take(3).ToList();
        var minority = nodes.Skip(3).ToList();
        var downs = new TestProbe(nodes[0].System);
        nodes[0].Cluster.Subscribe(downs.Ref, typeof(MemberDowned));
        downs.ExpectMsg<CurrentClusterState>();

        _harness.Network.Partition(majority.Select(n => n.Address), minority.Select(n => n.Address));

        Assert.All(minority, n => AssertCompletes(n.Cluster.WhenTerminated, FormTimeout, $"{n} did not down itself"));
        AwaitAssert(
            () => Assert.All(majority, n =>
            {
                Assert.Equal(3, n.Members.Count(m => m.Status == MemberStatus.Up));
                Assert.All(minority, gone => Assert.Null(n.StatusOf(gone)));
            }),
            FormTimeout);

        var downed = new[] { downs.ExpectMsg<MemberDowned>(), downs.ExpectMsg<MemberDowned>() }.Select(d => d.Member.Address).ToHashSet();
        Assert.Equal(minority.Select(n => n.Address).ToHashSet(), downed);
        Assert.All(majority, n => Assert.False(n.Cluster.IsTerminated));
        Assert.All(minority, n =>
        {
            Assert.Equal(MemberStatus.Down, n.Cluster.SelfMember.Status);
            Assert.All(majority, kept => Assert.NotEqual(MemberStatus.Down, n.StatusOf(kept)));
        });
    }

    [Fact]
    public void KeepMajority_OnAnEvenSplit_KeepsTheSideWithTheLowestAddress()
    {
        var nodes = _harness.StartCluster(4, seedCount: 1, s =>
        {
            s.Downing.KeepMajority.Enabled = true;
            s.Downing.KeepMajority.StableAfter = TimeSpan.FromSeconds(1);
        });
        AwaitAllUp(nodes);
        var lowest = nodes.MinBy(n => n.Address, AddressOrdering.Instance)!;
        var winners = new[] { lowest, nodes.First(n => n != lowest) };
        var losers = nodes.Except(winners).ToList();

        _harness.Network.Partition(winners.Select(n => n.Address), losers.Select(n => n.Address));

        Assert.All(losers, n => AssertCompletes(n.Cluster.WhenTerminated, FormTimeout, $"{n} on the losing side did not down itself"));
        AwaitAssert(
            () => Assert.All(winners, n =>
            {
                Assert.Equal(2, n.Members.Count(m => m.Status == MemberStatus.Up));
                Assert.All(losers, gone => Assert.Null(n.StatusOf(gone)));
            }),
            FormTimeout);
        Assert.All(winners, n => Assert.False(n.Cluster.IsTerminated));
    }

    [Fact]
    public void NodeOfAnotherClusterId_NeverJoins()
    {
        var nodes = _harness.StartCluster(2, seedCount: 1);
        AwaitAllUp(nodes);
        var seeds = new[] { nodes[0].Address };
        var stranger = _harness.Start(_harness.NextAddress(), ClusterHarness.FastSettings(seeds, clusterId: "another-cluster"));
        var latecomer = _harness.Start(_harness.NextAddress(), ClusterHarness.FastSettings(seeds));

        // The latecomer asks the same seed at the same time; once it is Up everywhere the stranger has had its chance.
        AwaitAllUp([.. nodes, latecomer]);

        Assert.All(nodes.Append(latecomer), n => Assert.DoesNotContain(n.Members, m => m.Address == stranger.Address));
        Assert.Equal(MemberStatus.Removed, stranger.Cluster.SelfMember.Status);
        Assert.Empty(stranger.Members);
    }

    [Fact]
    public void Subscriber_SeesCurrentStateFirst_ThenMemberEventsInLifecycleOrder()
    {
        var seed = _harness.Start(_harness.NextAddress(), ClusterHarness.FastSettings([]));
        seed.Cluster.Join(seed.Address);
        AwaitAllUp([seed]);
        var events = new TestProbe(seed.System);
        seed.Cluster.Subscribe(events.Ref, typeof(IMemberEvent));

        var state = events.ExpectMsg<CurrentClusterState>();
        Assert.Equal(seed.Address, Assert.Single(state.Members).Address);

        var joiner = _harness.Start(_harness.NextAddress(), ClusterHarness.FastSettings([seed.Address]));
        Assert.Equal(joiner.Address, events.ExpectMsg<MemberJoined>(timeout: FormTimeout).Member.Address);
        Assert.Equal(joiner.Address, events.ExpectMsg<MemberUp>(timeout: ChangeTimeout).Member.Address);

        joiner.Cluster.Leave(joiner.Address);
        Assert.Equal(joiner.Address, events.ExpectMsg<MemberLeft>(timeout: ChangeTimeout).Member.Address);
        Assert.Equal(joiner.Address, events.ExpectMsg<MemberExited>(timeout: ChangeTimeout).Member.Address);
        var removed = events.ExpectMsg<MemberRemoved>(timeout: ChangeTimeout);
        Assert.Equal((joiner.Address, MemberStatus.Exiting), (removed.Member.Address, removed.PreviousStatus));
    }

    [Fact]
    public void OperatorDown_RemovesTheMemberEverywhere_AndTheDownedNodeStops()
    {
        var nodes = _harness.StartCluster(3, seedCount: 1);
        AwaitAllUp(nodes);
        var target = nodes[1];

        nodes[2].Cluster.Down(target.Address);

        AssertCompletes(target.Cluster.WhenTerminated, ChangeTimeout, "the downed node kept taking part");
        Assert.Contains(target.Cluster.SelfMember.Status, new[] { MemberStatus.Down, MemberStatus.Removed });
        AwaitAssert(() => Assert.All(new[] { nodes[0], nodes[2] }, n =>
        {
            Assert.Null(n.StatusOf(target));
            Assert.Equal(2, n.Members.Count());
        }));
    }

    [Fact]
    public void RestartedNode_RejoinsAsANewIncarnation_AndTheOldOneIsRemoved()
    {
        var nodes = _harness.StartCluster(3, seedCount: 1);
        AwaitAllUp(nodes);
        var old = nodes[2];
        var oldIncarnation = old.Cluster.SelfUniqueAddress;
        AssertCompletes(old.System.Terminate(), ChangeTimeout, "the old incarnation did not terminate");

        var restarted = _harness.Start(old.Address, ClusterHarness.FastSettings([nodes[0].Address]));

        AwaitAllUp([nodes[0], nodes[1], restarted]);
        AwaitAssert(() => Assert.All(new[] { nodes[0], nodes[1], restarted }, n =>
        {
            Assert.Equal(3, n.Members.Count());
            Assert.DoesNotContain(n.Members, m => m.UniqueAddress.Equals(oldIncarnation));
        }));
    }

    [Fact]
    public void Cluster_FormsDespiteLossyLinks()
    {
        var addresses = Enumerable.Range(0, 3).Select(_ => _harness.NextAddress()).ToList();
        foreach (var from in addresses)
        {
            foreach (var to in addresses.Where(a => a != from))
            {
                _harness.Network.SetDropRate(from, to, 0.3);
            }
        }

        var nodes = addresses.Select(a => _harness.Start(a, ClusterHarness.FastSettings(addresses.Take(1)))).ToList();

        AwaitAllUp(nodes);
        Assert.True(_harness.Network.Dropped > 0);
    }

    [Fact]
    public async Task RegisterOnMemberUp_RunsOnceTheNodeIsUp_AndAtOnceWhenItAlreadyIs()
    {
        var node = _harness.Start(_harness.NextAddress(), ClusterHarness.FastSettings([]));
        var before = new TaskCompletionSource<MemberStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Cluster.RegisterOnMemberUp(() => before.TrySetResult(node.Cluster.SelfMember.Status));

        node.Cluster.Join(node.Address);

        // Had the callback run at registration, it would have seen the not-yet-joined status.
        AssertCompletes(before.Task, ChangeTimeout, "the member-up callback never ran");
        Assert.Equal(MemberStatus.Up, await before.Task);
        var after = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Cluster.RegisterOnMemberUp(after.SetResult);
        AssertCompletes(after.Task, ChangeTimeout, "a callback registered after Up never ran");
    }

    [Fact]
    public void Broadcast_ReachesTheSameNamedActorOnEveryUpMember()
    {
        var nodes = _harness.StartCluster(3, seedCount: 1);
        AwaitAllUp(nodes);
        var receivers = nodes.Select(n =>
        {
            var probe = new TestProbe(n.System);
            n.System.ActorOf(Props.Create(() => new Relay(probe.Ref)), "chain");
            return probe;
        }).ToList();

        var targets = nodes[0].Cluster.Broadcast.Targets("/user/chain");
        var sent = nodes[0].Cluster.Broadcast.Tell("/user/chain", "block-7");

        Assert.Equal(3, sent);
        Assert.Equal(nodes.Select(n => n.Address).ToHashSet(), targets.Select(t => t.Address).ToHashSet());
        Assert.All(receivers, r => r.ExpectMsg("block-7", ChangeTimeout));
        Assert.Equal(2, nodes[0].Cluster.Broadcast.Tell("/user/chain", "block-8", includeSelf: false));
        receivers[1].ExpectMsg("block-8", ChangeTimeout);
        receivers[0].ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    private static void AwaitAllUp(IReadOnlyList<ClusterNode> nodes) =>
        AwaitAssert(
            () => Assert.All(nodes, n =>
            {
                var up = n.Members.Where(m => m.Status == MemberStatus.Up).Select(m => m.Address).ToHashSet();
                Assert.True(nodes.All(o => up.Contains(o.Address)), $"{n} sees Up: {string.Join(", ", up)}");
            }),
            FormTimeout);

    private static void AssertCompletes(Task task, TimeSpan timeout, string failure) =>
        Assert.True(task.Wait(timeout), failure);

    private static void AwaitAssert(Action assertion, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? ChangeTimeout);
        while (true)
        {
            try
            {
                assertion();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                using var pause = new ManualResetEventSlim();
                pause.Wait(TimeSpan.FromMilliseconds(25));
            }
        }
    }

    private sealed class Relay : ReceiveActor
    {
        public Relay(IActorRef target) => ReceiveAny(m => target.Tell(m, Self));
    }
}
