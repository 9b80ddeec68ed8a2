using FsCheck;
using FsCheck.Fluent;

namespace ActorChain.MultiNode.Tests.Chaos;

/// <summary>The soak's checker on hand-made histories: each guarantee it checks, it can also see broken.</summary>
public sealed class ChaosCheckerSpecs
{
    private int _nextId;

    [Fact]
    public void LinearizableHistory_WithOverlappingReadsAndWrites_Passes()
    {
        Operation[] history =
        [
            Put("a", "v1", 0, 10, "e1", 1),
            Read("a", "v1", 5, 15),
            Read("a", null, 1, 4),
            Put("a", "v2", 20, 30, "e2", 2),
            Read("a", "v1", 21, 25),
            Read("a", "v2", 26, 40),
            Claim("t", "c1", 0, 10, "t-c1", at: 1, winner: "c1", winnerHeight: 1),
            Claim("t", "c2", 5, 30, "t-c2", at: 2, winner: "c1", winnerHeight: 1),
            LocalRead("a", "v1", 50, 60),
        ];

        var violations = ChaosChecker.Check(history, Nodes(["e1", "t-c1"], ["e2", "t-c2"]), []);

        Assert.Empty(violations);
    }

    [Fact]
    public void StaleRead_AfterAnAcknowledgedWrite_IsNotLinearizable()
    {
        var stale = Read("a", "v1", 40, 50);
        Operation[] history = [Put("a", "v1", 0, 10, "e1", 1), Put("a", "v2", 20, 30, "e2", 2), stale];

        var violations = ChaosChecker.Check(history, Nodes(["e1"], ["e2"]), []);

        var violation = Assert.Single(violations);
        Assert.Equal(ChaosChecker.NotLinearizable, violation.Check);
        Assert.Contains(stale, violation.Operations);
    }

    [Fact]
    public void ReadOfAbsentKey_AfterAnAcknowledgedWrite_IsNotLinearizable()
    {
        Operation[] history = [Put("a", "v1", 0, 10, "e1", 1), Read("a", null, 20, 30)];

        var violations = ChaosChecker.Check(history, Nodes(["e1"]), []);

        Assert.Equal(ChaosChecker.NotLinearizable, Assert.Single(violations).Check);
    }

    [Fact]
    public void AcknowledgedWrite_MissingFromTheChain_IsLost()
    {
        var acknowledged = Put("a", "v2", 20, 30, "e2", 2);
        Operation[] history = [Put("a", "v1", 0, 10, "e1", 1), acknowledged];

        var violations = ChaosChecker.Check(history, Nodes(["e1"], ["other"]), []);

        var violation = Assert.Single(violations);
        Assert.Equal(ChaosChecker.LostWrite, violation.Check);
        Assert.Equal([acknowledged], violation.Operations);
    }

    [Fact]
    public void AcknowledgedWrite_AtAnotherHeightThanAcknowledged_IsLost()
    {
        Operation[] history = [Put("a", "v1", 0, 10, "e1", 1)];

        var violations = ChaosChecker.Check(history, Nodes(["x"], ["e1"]), []);

        Assert.Equal(ChaosChecker.LostWrite, Assert.Single(violations).Check);
    }

    [Fact]
    public void UnknownWrite_ThatAppearsLater_Passes()
    {
        Operation[] history =
        [
            Put("a", "v1", 0, 10, "e1", 1),
            Unknown(Put("a", "v2", 20, 0, "e2")),
            Read("a", "v1", 30, 40),
            Read("a", "v2", 50, 60),
            Read("a", "v2", 70, 80),
        ];

        var violations = ChaosChecker.Check(history, Nodes(["e1"], [], ["e2"]), []);

        Assert.Empty(violations);
    }

    [Fact]
    public void UnknownWrite_ThatAppearsThenVanishes_IsNotLinearizable()
    {
        Operation[] history =
        [
            Put("a", "v1", 0, 10, "e1", 1),
            Unknown(Put("a", "v2", 20, 0, "e2")),
            Read("a", "v2", 50, 60),
            Read("a", "v1", 70, 80),
        ];

        var violations = ChaosChecker.Check(history, Nodes(["e1"], ["e2"]), []);

        Assert.Equal(ChaosChecker.NotLinearizable, Assert.Single(violations).Check);
    }

    [Fact]
    public void Entry_InTwoBlocks_IsAppliedTwice()
    {
        Operation[] history = [Unknown(Put("a", "v1", 0, 0, "e1"))];

        var violations = ChaosChecker.Check(history, Nodes(["e1"], ["e2"], ["e1"]), []);

        var violation = Assert.Single(violations);
        Assert.Equal(ChaosChecker.AppliedTwice, violation.Check);
        Assert.Single(violation.Operations);
    }

    [Fact]
    public void RefusedWrite_FoundInTheChain_IsAViolation()
    {
        Operation[] history = [Put("a", "v1", 0, 10, "e1", 1) with { Outcome = Outcome.Failed, Height = null, Status = 400 }];

        var violations = ChaosChecker.Check(history, Nodes(["e1"]), []);

        Assert.Equal(ChaosChecker.FailedButApplied, Assert.Single(violations).Check);
    }

    [Fact]
    public void EntryTheLedgerRejected_With409_IsInTheChainWithoutBeingAViolation()
    {
        Operation[] history = [Put("a", "v1", 0, 10, "e1", 1) with { Outcome = Outcome.Failed, Height = null, Status = 409 }, Read("a", null, 20, 30)];

        var violations = ChaosChecker.Check(history, Nodes(["e1"]), []);

        Assert.Empty(violations);
    }

    [Fact]
    public void TwoClaimants_EachToldTheyWon_AreTwoTaskWinners()
    {
        Operation[] history =
        [
            Claim("t", "c1", 0, 10, "t-c1", at: 1, winner: "c1", winnerHeight: 1),
            Claim("t", "c2", 0, 10, "t-c2", at: 1, winner: "c2", winnerHeight: 1),
        ];

        var violations = ChaosChecker.Check(history, Nodes(["t-c1", "t-c2"]), []);

        var violation = Assert.Single(violations);
        Assert.Equal(ChaosChecker.TwoTaskWinners, violation.Check);
        Assert.Equal(2, violation.Operations.Count);
    }

    [Fact]
    public void ClaimWinner_OtherThanTheChainsFirstClaim_IsTwoTaskWinners()
    {
        Operation[] history =
        [
            Claim("t", "c1", 0, 10, "t-c1", at: 1, winner: "c2", winnerHeight: 2),
            Claim("t", "c2", 0, 10, "t-c2", at: 2, winner: "c2", winnerHeight: 2),
        ];

        var violations = ChaosChecker.Check(history, Nodes(["t-c1"], ["t-c2"]), []);

        Assert.Equal(ChaosChecker.TwoTaskWinners, Assert.Single(violations).Check);
    }

    [Fact]
    public void NodesWithDifferentHeads_OrBlocks_AreReported()
    {
        var first = Node("n1", ["e1"], ["e2"]);
        var forked = Node("n2", ["e1"], ["e3"]);

        var violations = ChaosChecker.Check([], [first, forked], [new HeadSample("n3", 1, "other")]);

        Assert.Contains(violations, v => v.Check == ChaosChecker.HeadsDiffer);
        Assert.Contains(violations, v => v.Check == ChaosChecker.HeightDecidedTwice && v.Detail.StartsWith("height 1:", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Check == ChaosChecker.HeightDecidedTwice && v.Detail.StartsWith("height 2:", StringComparison.Ordinal));
    }

    [Fact]
    public void LocalRead_OfAValueNeverWritten_IsAPhantom()
    {
        Operation[] history = [Put("a", "v1", 0, 10, "e1", 1), LocalRead("a", "v1", 20, 30), LocalRead("a", "v9", 20, 30)];

        var violations = ChaosChecker.Check(history, Nodes(["e1"]), []);

        var violation = Assert.Single(violations);
        Assert.Equal(ChaosChecker.PhantomRead, violation.Check);
        Assert.Equal("v9", violation.Operations[0].Value);
    }

    [Fact]
    public void HistoriesOfARealRegister_AreAlwaysLinearizable_AndAStaleReadAfterThemNever()
    {
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            var history = RegisterRun(new Random(seed));
            var key = history[0].Key;
            var end = history.Max(o => o.Complete);
            var passes = RegisterLinearizability.Check(key, history).Linearizable;
            // Stale for sure: an acknowledged put began after it ended, so a read after everything cannot see it.
            var acknowledged = history.Where(o => o.Kind == OpKind.Put && o.Outcome == Outcome.Ok).ToList();
            var stale = acknowledged.Where(o => acknowledged.Any(later => later.Invoke > o.Complete)).Select(o => o.Value).FirstOrDefault();
            var failsWhenStale = stale is null || !RegisterLinearizability.Check(key, [.. history, Read(key, stale, end + 100, end + 200)]).Linearizable;
            return passes && failsWhenStale;
        }).QuickCheckThrowOnFailure();
    }

    // Four clients on one key: each operation takes effect at a random instant inside its interval,
    // reads return what the register held then; some puts are unknown, some of those never applied.
    private List<Operation> RegisterRun(Random random)
    {
        var effects = new List<(long At, Operation Op)>();
        for (var client = 0; client < 4; client++)
        {
            long t = random.Next(0, 5);
            for (var i = 0; i < random.Next(3, 9); i++)
            {
                var invoke = t + random.Next(0, 4);
                var complete = invoke + random.Next(1, 20);
                var at = random.NextInt64(invoke, complete);
                var op = random.Next(2) == 0
                    ? Put("k", $"c{client}-{i}", invoke, complete, $"c{client}-{i}")
                    : Read("k", null, invoke, complete);
                if (op.Kind == OpKind.Put && random.Next(5) == 0)
                {
                    op = Unknown(op);
                    at = random.Next(2) == 0 ? long.MaxValue : random.NextInt64(invoke, invoke + 40);
                }

                effects.Add((at, op));
                t = complete + 1;
            }
        }

        string? last = null;
        var history = new List<Operation>();
        foreach (var (at, op) in effects.OrderBy(e => e.At))
        {
            if (op.Kind == OpKind.Put)
            {
                last = at == long.MaxValue ? last : op.Value;
                history.Add(op);
            }
            else
            {
                history.Add(op with { Value = last });
            }
        }

        return history;
    }

    private Operation Put(string key, string value, long invoke, long complete, string entryId, long? height = null) =>
        new(++_nextId, 1, "n1", OpKind.Put, key, value, invoke, complete, Outcome.Ok, entryId, height, height is { } h ? $"h{h}" : null);

    private Operation Read(string key, string? value, long invoke, long complete) =>
        new(++_nextId, 2, "n2", OpKind.Read, key, value, invoke, complete, Outcome.Ok);

    private Operation LocalRead(string key, string? value, long invoke, long complete) =>
        new(++_nextId, 2, "n2", OpKind.LocalRead, key, value, invoke, complete, Outcome.Ok);

    private Operation Claim(string task, string claimant, long invoke, long complete, string entryId, long at, string winner, long winnerHeight) =>
        new(++_nextId, 3, "n3", OpKind.Claim, task, claimant, invoke, complete, Outcome.Ok, entryId, at, $"h{at}", winner, winnerHeight);

    private static Operation Unknown(Operation op) => op with { Outcome = Outcome.Unknown, Complete = long.MaxValue, Height = null, BlockHash = null };

    // Blocks 1.. with the given entry ids, hashes h1, h2, … on two agreeing nodes; ids "t-<claimant>" are claims of task t.
    private static List<NodeFinalView> Nodes(params string[][] blocks) => [Node("n1", blocks), Node("n2", blocks)];

    private static NodeFinalView Node(string name, params string[][] blocks)
    {
        var views = new List<ChainBlockView> { new(0, "h0", "none", []) };
        foreach (var (ids, i) in blocks.Select((b, i) => (b, i + 1)))
        {
            var hash = $"h{i}" + (name == "n2" && ids.Contains("e3") ? "-fork" : string.Empty);
            views.Add(new(i, hash, views[^1].Hash, [.. ids.Select(id => new ChainEntryView(id, id.StartsWith("t-", StringComparison.Ordinal) ? ChaosChecker.TaskClaimKind : ChaosChecker.KvPutKind, null))]));
        }

        var tasks = views.SelectMany(b => b.Entries.Where(e => e.Kind == ChaosChecker.TaskClaimKind).Select(e => (b.Height, Task: "t", Claimant: e.Id[2..])))
            .GroupBy(c => c.Task)
            .ToDictionary(g => g.Key, g => (TaskWinnerView?)new TaskWinnerView(g.First().Claimant, g.First().Height));
        return new(name, views[^1].Height, views[^1].Hash, views, tasks);
    }
}
