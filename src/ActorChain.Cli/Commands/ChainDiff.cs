namespace ActorChain.Cli.Commands;

/// <summary>
/// <c>chain diff</c>. Blocks are hash-linked, so equal hashes at a height mean equal chains up to it: the first
/// differing height is found by bisection over the common heights, O(log height) block reads per node.
/// </summary>
internal static class ChainDiff
{
    internal sealed record Outcome(bool Agree, long? FirstDifferingHeight, long CommonHeight, ChainCommands.NodeHead[] Heads, Dictionary<string, string>? HashesAtFirstDifference);

    public static async Task<int> RunAsync(Invocation inv, NodeSet nodes, CancellationToken ct)
    {
        var heads = await ChainCommands.HeadsOfAsync(inv, await nodes.ResolveAsync(inv, ct), ct);
        var answered = heads.Where(h => h.Error is null).ToList();
        foreach (var silent in heads.Where(h => h.Error is not null))
        {
            await inv.Console.Error.WriteLineAsync($"actorchain: {silent.Error}");
        }

        if (answered.Count < 2)
        {
            await inv.Console.Error.WriteLineAsync($"actorchain: chain diff needs two nodes that answer; {answered.Count} of {heads.Length} did.");
            return CliApp.Failure;
        }

        var common = answered.Min(h => h.Height!.Value);
        var first = await FirstDifferenceAsync(h => HashesAtAsync(inv, answered, h, ct), common);
        var outcome = new Outcome(first is null, first, common, heads, first is { } f ? await HashesAtAsync(inv, answered, f, ct) : null);
        Write(inv, outcome, answered);
        return outcome.Agree && answered.Count == heads.Length ? CliApp.Ok : CliApp.Failure;
    }

    /// <summary>
    /// The first height in 0..<paramref name="common"/> where the hashes differ, or null when they agree at
    /// <paramref name="common"/> (and so below). Relies on "equal at h" implying "equal below h".
    /// </summary>
    public static async Task<long?> FirstDifferenceAsync(Func<long, Task<Dictionary<string, string>>> hashesAt, long common)
    {
        if (AllEqual(await hashesAt(common)))
        {
            return null;
        }

        long equal = -1, differ = common;
        while (differ - equal > 1)
        {
            var mid = equal + ((differ - equal) / 2);
            if (AllEqual(await hashesAt(mid)))
            {
                equal = mid;
            }
            else
            {
                differ = mid;
            }
        }

        return differ;
    }

    private static bool AllEqual(Dictionary<string, string> hashes) => hashes.Values.Distinct(StringComparer.Ordinal).Count() == 1;

    private static async Task<Dictionary<string, string>> HashesAtAsync(Invocation inv, IReadOnlyList<ChainCommands.NodeHead> nodes, long height, CancellationToken ct)
    {
        var blocks = await Task.WhenAll(nodes.Select(n => inv.Client(n.Url).BlockAsync(height, ct)));
        return nodes.Zip(blocks).ToDictionary(p => $"{p.First.NodeId ?? "?"} {p.First.Url}", p => p.Second.Hash);
    }

    private static void Write(Invocation inv, Outcome outcome, IReadOnlyList<ChainCommands.NodeHead> answered)
    {
        if (inv.Json)
        {
            inv.WriteJson(outcome);
            return;
        }

        var names = string.Join(", ", answered.Select(h => $"{h.NodeId} (height {h.Height})"));
        if (outcome.FirstDifferingHeight is { } first)
        {
            inv.Console.Out.WriteLine($"Chains differ: first differing height is {first}.");
            foreach (var (node, hash) in outcome.HashesAtFirstDifference!)
            {
                inv.Console.Out.WriteLine($"  {node}: {hash}");
            }
        }
        else if (answered.All(h => h.Height == outcome.CommonHeight))
        {
            inv.Console.Out.WriteLine($"All {answered.Count} chains agree: {names}.");
        }
        else
        {
            inv.Console.Out.WriteLine($"The chains agree up to height {outcome.CommonHeight}, where the shortest ends; nodes: {names}.");
        }
    }
}
