namespace ActorChain.MultiNode.Tests.Chaos;

internal sealed record ChainEntryView(string Id, string Kind, string? Key);

internal sealed record ChainBlockView(long Height, string Hash, string PrevHash, IReadOnlyList<ChainEntryView> Entries);

internal sealed record TaskWinnerView(string Winner, long Height);

/// <summary>What one node holds once the faults are healed: its head, every block, and its answer for each claimed task (null = no winner known).</summary>
internal sealed record NodeFinalView(string Node, long HeadHeight, string HeadHash, IReadOnlyList<ChainBlockView> Blocks, IReadOnlyDictionary<string, TaskWinnerView?> Tasks);

/// <summary>A head a node reported while the faults ran; once decided, that block must never change.</summary>
internal sealed record HeadSample(string Node, long Height, string Hash);

/// <summary>A broken guarantee: which check, what was seen, and the client operations involved.</summary>
internal sealed record Violation(string Check, string Detail, IReadOnlyList<Operation> Operations)
{
    public override string ToString() =>
        Operations.Count == 0 ? $"{Check}: {Detail}" : $"{Check}: {Detail}{Environment.NewLine}      {string.Join(Environment.NewLine + "      ", Operations)}";
}

/// <summary>
/// The soak's verdict on a recorded history and the healed cluster's chains: no acknowledged write
/// lost, none applied twice, one head, each height decided once, one winner per task, every key's
/// history linearizable, and local reads returning only values someone wrote.
/// </summary>
internal static class ChaosChecker
{
    public const string HeadsDiffer = "heads-differ";
    public const string HeightDecidedTwice = "height-decided-twice";
    public const string BrokenLink = "broken-link";
    public const string LostWrite = "lost-acknowledged-write";
    public const string AppliedTwice = "applied-twice";
    public const string FailedButApplied = "failed-but-applied";
    public const string TwoTaskWinners = "two-task-winners";
    public const string NotLinearizable = "not-linearizable";
    public const string LinearizabilityUnchecked = "linearizability-unchecked";
    public const string PhantomRead = "phantom-local-read";

    public const string KvPutKind = "kv.put";
    public const string TaskClaimKind = "task.claim";

    public static List<Violation> Check(
        IReadOnlyList<Operation> history,
        IReadOnlyList<NodeFinalView> nodes,
        IReadOnlyList<HeadSample> samples,
        int budget = RegisterLinearizability.DefaultBudget)
    {
        var violations = new List<Violation>();
        CheckChains(nodes, samples, violations);
        if (nodes.Count > 0)
        {
            CheckWrites(history, nodes, violations);
            CheckTasks(history, nodes, violations);
        }

        foreach (var result in RegisterLinearizability.CheckAll(history, budget).Where(r => !r.Linearizable))
        {
            violations.Add(new(result.Exhausted ? LinearizabilityUnchecked : NotLinearizable, $"key {result.Key}: {result.Detail}", result.Involved));
        }

        CheckLocalReads(history, violations);
        return violations;
    }

    private static void CheckChains(IReadOnlyList<NodeFinalView> nodes, IReadOnlyList<HeadSample> samples, List<Violation> violations)
    {
        if (nodes.Select(n => (n.HeadHeight, n.HeadHash)).Distinct().Count() > 1)
        {
            violations.Add(new(HeadsDiffer, string.Join(", ", nodes.Select(n => $"{n.Node} {n.HeadHeight}/{Short(n.HeadHash)}")), []));
        }

        var byHeight = new Dictionary<long, List<(string Who, string Hash)>>();
        void Seen(long height, string who, string hash)
        {
            if (!byHeight.TryGetValue(height, out var seen))
            {
                byHeight[height] = seen = [];
            }

            seen.Add((who, hash));
        }

        foreach (var node in nodes)
        {
            ChainBlockView? previous = null;
            foreach (var block in node.Blocks)
            {
                Seen(block.Height, node.Node, block.Hash);
                if (previous is not null && (block.Height != previous.Height + 1 || block.PrevHash != previous.Hash))
                {
                    violations.Add(new(BrokenLink, $"{node.Node}: block {block.Height} (prev {Short(block.PrevHash)}) does not follow block {previous.Height} ({Short(previous.Hash)})", []));
                }

                previous = block;
            }
        }

        foreach (var sample in samples.Distinct())
        {
            Seen(sample.Height, $"{sample.Node}'s head during the run", sample.Hash);
        }

        foreach (var (height, seen) in byHeight.OrderBy(p => p.Key))
        {
            if (seen.Select(s => s.Hash).Distinct(StringComparer.Ordinal).Count() > 1)
            {
                violations.Add(new(HeightDecidedTwice, $"height {height}: {string.Join(", ", seen.GroupBy(s => s.Hash).Select(g => $"{Short(g.Key)} at {string.Join("/", g.Select(s => s.Who).Distinct())}"))}", []));
            }
        }
    }

    private static void CheckWrites(IReadOnlyList<Operation> history, IReadOnlyList<NodeFinalView> nodes, List<Violation> violations)
    {
        var twice = nodes
            .SelectMany(n => n.Blocks.SelectMany(b => b.Entries.Select(e => (b.Height, e.Id))).GroupBy(e => e.Id).Where(g => g.Count() > 1)
                .Select(g => (Id: g.Key, Heights: string.Join(", ", g.Select(e => e.Height)), n.Node)))
            .GroupBy(t => (t.Id, t.Heights));
        foreach (var duplicate in twice)
        {
            violations.Add(new(
                AppliedTwice,
                $"entry {duplicate.Key.Id} at heights {duplicate.Key.Heights} on {string.Join(", ", duplicate.Select(d => d.Node))}",
                [.. history.Where(o => o.EntryId == duplicate.Key.Id)]));
        }

        var reference = nodes[0];
        var blocks = reference.Blocks.ToDictionary(b => b.Height);
        var located = reference.Blocks.SelectMany(b => b.Entries.Select(e => (b.Height, e.Id))).GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.First().Height, StringComparer.Ordinal);
        foreach (var op in history.Where(o => o.Kind is OpKind.Put or OpKind.Claim && o.EntryId is not null))
        {
            if (op.Outcome == Outcome.Ok && op.Height is { } height)
            {
                if (!blocks.TryGetValue(height, out var block) || block.Entries.All(e => e.Id != op.EntryId))
                {
                    var where = located.TryGetValue(op.EntryId!, out var actual) ? $"it is at height {actual} instead" : "it is nowhere in the chain";
                    violations.Add(new(LostWrite, $"{op.EntryId} acknowledged at height {height} is not in {reference.Node}'s block {height}; {where}", [op]));
                }
                else if (op.BlockHash is not null && op.BlockHash != block.Hash)
                {
                    violations.Add(new(LostWrite, $"{op.EntryId} acknowledged in block {height} {Short(op.BlockHash)}, but {reference.Node}'s block {height} is {Short(block.Hash)}", [op]));
                }
            }
            else if (op.Outcome == Outcome.Failed && op.Status != 409 && located.TryGetValue(op.EntryId!, out var applied))
            {
                violations.Add(new(FailedButApplied, $"{op.EntryId} was refused, yet it is in the chain at height {applied}", [op]));
            }
        }
    }

    private static void CheckTasks(IReadOnlyList<Operation> history, IReadOnlyList<NodeFinalView> nodes, List<Violation> violations)
    {
        var order = nodes[0].Blocks
            .SelectMany(b => b.Entries.Where(e => e.Kind == TaskClaimKind).Select((e, i) => (b.Height, Index: i, e.Id)))
            .GroupBy(e => e.Id)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var task in history.Where(o => o.Kind == OpKind.Claim).GroupBy(o => o.Key))
        {
            var answers = new List<(string Who, string Winner, long Height)>();
            answers.AddRange(task.Where(o => o.Outcome == Outcome.Ok && o.Winner is not null).Select(o => ($"#{o.Id}", o.Winner!, o.WinnerHeight ?? -1)));
            foreach (var node in nodes)
            {
                if (node.Tasks.TryGetValue(task.Key, out var view) && view is not null)
                {
                    answers.Add(($"{node.Node} GET", view.Winner, view.Height));
                }
            }

            var first = task.Where(o => o.EntryId is not null && order.ContainsKey(o.EntryId)).OrderBy(o => order[o.EntryId!].Height).ThenBy(o => order[o.EntryId!].Index).FirstOrDefault();
            if (first is not null)
            {
                answers.Add(("the chain's first claim", first.Value!, order[first.EntryId!].Height));
            }

            var claimants = task.Select(o => o.Value).ToHashSet(StringComparer.Ordinal);
            if (answers.Select(a => (a.Winner, a.Height)).Distinct().Count() > 1 || answers.Any(a => !claimants.Contains(a.Winner)))
            {
                violations.Add(new(
                    TwoTaskWinners,
                    $"task {task.Key}: {string.Join(", ", answers.GroupBy(a => (a.Winner, a.Height)).Select(g => $"{g.Key.Winner}@{g.Key.Height} by {string.Join("/", g.Select(a => a.Who).Take(6))}"))}",
                    [.. task.Where(o => o.Outcome == Outcome.Ok).Take(12)]));
            }
            else if (nodes.Any(n => !n.Tasks.TryGetValue(task.Key, out var view) || view is null) && answers.Count > 0)
            {
                violations.Add(new(
                    TwoTaskWinners,
                    $"task {task.Key} has a winner ({answers[0].Winner}), yet {string.Join(", ", nodes.Where(n => !n.Tasks.TryGetValue(task.Key, out var v) || v is null).Select(n => n.Node))} know none",
                    []));
            }
        }
    }

    private static void CheckLocalReads(IReadOnlyList<Operation> history, List<Violation> violations)
    {
        var puts = history.Where(o => o.Kind == OpKind.Put && o.Outcome != Outcome.Failed)
            .GroupBy(o => (o.Key, o.Value))
            .ToDictionary(g => g.Key, g => g.Min(o => o.Invoke));
        foreach (var read in history.Where(o => o.Kind == OpKind.LocalRead && o.Outcome == Outcome.Ok && o.Value is not null))
        {
            if (!puts.TryGetValue((read.Key, read.Value), out var invoked) || invoked > read.Complete)
            {
                violations.Add(new(PhantomRead, $"{read.Key} read as {read.Value}, a value no put (invoked before the read ended, and not refused) wrote", [read]));
            }
        }
    }

    private static string Short(string hash) => hash.Length > 8 ? hash[..8] : hash;
}
