using ActorChain.Cli.Commands;
using ActorChain.Cli.Http;
using FsCheck;
using FsCheck.Fluent;

namespace ActorChain.Cli.Tests;

/// <summary>How cluster-wide commands find nodes and compare chains, without a cluster.</summary>
public sealed class ClusterPartsTests
{
    private static readonly Member[] RunShMembers =
    [
        new("n2", "127.0.0.1:4054", "Up", true, true, 5, "bb"),
        new("n1", "127.0.0.1:4053", "Up", true, true, 5, "bb"),
        new("n3", "10.0.0.7:4055", "Up", false, true, 4, "aa"),
    ];

    [Fact]
    public void MemberAddresses_MapToHttp_ByTheAskedNodesOwnPortOffset()
    {
        var targets = NodeSet.Map(new Uri("http://127.0.0.1:8081/"), "n1", RunShMembers, offset: null);

        Assert.Equal(
            ["n1 http://127.0.0.1:8081/", "n2 http://127.0.0.1:8082/", "n3 http://10.0.0.7:8083/"],
            targets.Select(t => $"{t.NodeId} {t.Http}"));
    }

    [Fact]
    public void MemberAddresses_MapToHttp_ByAnExplicitOffset()
    {
        var targets = NodeSet.Map(new Uri("http://localhost:9000/"), "n2", RunShMembers, offset: 1000);

        Assert.Equal(
            ["n1 http://127.0.0.1:5053/", "n2 http://localhost:9000/", "n3 http://10.0.0.7:5055/"],
            targets.Select(t => $"{t.NodeId} {t.Http}"));
    }

    [Fact]
    public void AskedNodeMissingFromItsMembers_WithoutAnOffset_IsAUsageError() =>
        Assert.Throws<UsageException>(() => NodeSet.Map(new Uri("http://127.0.0.1:8081/"), "n9", RunShMembers, offset: null));

    [Fact]
    public void HeadsAgree_OnlyWhenEveryMemberHasTheSameHeightAndHash()
    {
        Assert.False(ClusterCommands.HeadsAgree(RunShMembers));
        Assert.True(ClusterCommands.HeadsAgree(RunShMembers[..2]));
        Assert.False(ClusterCommands.HeadsAgree([RunShMembers[0], RunShMembers[1] with { HeadHash = null }]));
        Assert.False(ClusterCommands.HeadsAgree([]));
    }

    [Fact]
    public void Tail_NamesJoins_StatusChanges_Reachability_VoterChanges_AndRemovals()
    {
        Member[] before = [.. RunShMembers];
        Member[] after =
        [
            RunShMembers[0] with { Status = "Leaving" },
            RunShMembers[2] with { Reachable = true, Voter = false },
            new("n4", "127.0.0.1:4056", "Joining", true, false, 0, null),
        ];

        var events = ClusterTail.Changes(before, after).Select(e => $"{e.Kind} {e.NodeId} {e.Detail}").ToList();

        Assert.Equal(
            ["status n2 Up -> Leaving", "reachable n3 reachable again", "voter n3 no longer a voter", "joined n4 Joining, learner", "removed n1 removed"],
            events);
        Assert.Empty(ClusterTail.Changes(before, before));
    }

    [Fact]
    public void Tail_ReportsDecidedHeights_OnlyWhenTheHeadMoves()
    {
        var at5 = new Head("n1", 5, "aa");

        Assert.Null(ClusterTail.Decided(at5, at5));
        Assert.Equal("decided height 6", ClusterTail.Decided(at5, new Head("n1", 6, "bb"))!.Detail);
        Assert.Equal("decided heights 6..9", ClusterTail.Decided(at5, new Head("n1", 9, "cc"))!.Detail);
    }

    [Fact]
    public void Diff_FindsTheFirstDifferingHeight_ForAnyForkPoint()
    {
        // Chains that share blocks below the fork and differ from it on, as hash-linked chains do.
        var forks = from common in Gen.Choose(0, 500) from fork in Gen.Choose(0, 501) select (common, fork);
        var property = Prop.ForAll(forks.ToArbitrary(), c =>
        {
            var (common, fork) = c;
            var reads = 0;
            var first = ChainDiff.FirstDifferenceAsync(
                h =>
                {
                    reads++;
                    return Task.FromResult(new Dictionary<string, string> { ["a"] = $"h{h}", ["b"] = h >= fork ? $"x{h}" : $"h{h}", ["c"] = $"h{h}" });
                },
                common).GetAwaiter().GetResult();
            var expected = fork <= common ? fork : (long?)null;
            return first == expected && reads <= 2 + (int)Math.Ceiling(Math.Log2(common + 2));
        });
        property.QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("2s", 2000)]
    [InlineData("1.5m", 90_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("00:00:03", 3000)]
    public void Durations_ReadUnitsAndTimeSpans(string text, double milliseconds)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-1s")]
    [InlineData("")]
    public void Durations_RejectNonsense(string text) => Assert.False(Durations.TryParse(text, out _));
}
