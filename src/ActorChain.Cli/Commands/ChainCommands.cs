using System.CommandLine;
using System.Globalization;
using ActorChain.Cli.Http;
using Spectre.Console;

namespace ActorChain.Cli.Commands;

/// <summary><c>chain head|verify|block|diff</c>.</summary>
internal static class ChainCommands
{
    public static Command Build(CommandContext context)
    {
        var chain = new Command("chain", "The chain: heads, blocks, verification, and comparing the nodes' chains.");

        var head = new Command("head", "The --node's head, or with --all every member's.");
        var all = new Option<bool>("--all") { Description = "Ask every member (see --nodes / --http-port-offset)." };
        var headNodes = new NodeSet("Ask these nodes' HTTP addresses instead of the members of --node.");
        head.Options.Add(all);
        headNodes.AddTo(head);
        context.SetAction(head, (inv, ct) => inv.Get(all) || inv.Parse.GetValue(headNodes.Nodes) is { Length: > 0 } ? HeadsAsync(inv, headNodes, ct) : HeadAsync(inv, ct));
        chain.Subcommands.Add(head);

        var verify = new Command("verify", "Re-verify the --node's chain from genesis (hashes, links, Merkle roots).");
        context.SetAction(verify, VerifyAsync);
        chain.Subcommands.Add(verify);

        var block = new Command("block", "One block with its entries.");
        var height = new Argument<long>("height") { Description = "The block's height (genesis is 0)." };
        block.Arguments.Add(height);
        context.SetAction(block, (inv, ct) => BlockAsync(inv, inv.Get(height), ct));
        chain.Subcommands.Add(block);

        var diff = new Command("diff", "Compare every node's chain: name the first height where two differ, or say they agree (exit 1 if they differ).");
        var diffNodes = new NodeSet("Compare these nodes' HTTP addresses instead of the members of --node.");
        diffNodes.AddTo(diff);
        context.SetAction(diff, (inv, ct) => ChainDiff.RunAsync(inv, diffNodes, ct));
        chain.Subcommands.Add(diff);
        return chain;
    }

    private static async Task<int> HeadAsync(Invocation inv, CancellationToken ct)
    {
        var head = await inv.Client().HeadAsync(ct);
        if (inv.Json)
        {
            inv.WriteJson(head);
        }
        else
        {
            inv.Console.Out.WriteLine($"{head.NodeId}: height {head.Height}, hash {head.Hash}");
        }

        return CliApp.Ok;
    }

    internal sealed record NodeHead(string? NodeId, Uri Url, long? Height, string? Hash, string? Error);

    /// <summary>Every target's head, asked at once; an unreachable node is a row with its error, not a failed command.</summary>
    public static async Task<NodeHead[]> HeadsOfAsync(Invocation inv, IReadOnlyList<NodeTarget> targets, CancellationToken ct) =>
        await Task.WhenAll(targets.Select(async t =>
        {
            try
            {
                var h = await inv.Client(t.Http).HeadAsync(ct);
                return new NodeHead(h.NodeId, t.Http, h.Height, h.Hash, null);
            }
            catch (Exception e) when (e is NodeUnreachableException or NodeApiException)
            {
                return new NodeHead(t.NodeId, t.Http, null, null, e.Message);
            }
        }));

    private static async Task<int> HeadsAsync(Invocation inv, NodeSet nodes, CancellationToken ct)
    {
        var heads = await HeadsOfAsync(inv, await nodes.ResolveAsync(inv, ct), ct);
        var answered = heads.Where(h => h.Error is null).ToList();
        var agree = answered.Count == heads.Length && answered.All(h => h.Height == answered[0].Height && h.Hash == answered[0].Hash);
        if (inv.Json)
        {
            inv.WriteJson(new { heads, headsAgree = agree });
        }
        else
        {
            var table = Tables.Create("Node", "HTTP", "Height", "Hash");
            foreach (var h in heads)
            {
                table.AddRow(
                    Markup.Escape(h.NodeId ?? "?"),
                    Markup.Escape(h.Url.ToString()),
                    h.Height?.ToString(CultureInfo.InvariantCulture) ?? "[red]-[/]",
                    h.Error is null ? Markup.Escape(ClusterCommands.Short(h.Hash, 16)) : "[red]" + Markup.Escape(h.Error) + "[/]");
            }

            inv.Console.Ui.Write(table);
            inv.Console.Out.WriteLine(agree
                ? $"All {heads.Length} heads agree: height {answered[0].Height}."
                : answered.Count < heads.Length ? $"{heads.Length - answered.Count} of {heads.Length} nodes did not answer." : "Heads differ.");
        }

        return answered.Count == heads.Length ? CliApp.Ok : CliApp.Failure;
    }

    private static async Task<int> VerifyAsync(Invocation inv, CancellationToken ct)
    {
        var result = await inv.Client().VerifyAsync(ct);
        if (inv.Json)
        {
            inv.WriteJson(result);
        }
        else if (result.Valid)
        {
            inv.Console.Out.WriteLine($"Valid: every block from genesis to height {result.Height} verified.");
        }
        else
        {
            inv.Console.Out.WriteLine($"INVALID: first bad block at height {result.FirstInvalidHeight}: {result.Reason} (head {result.Height}).");
        }

        return result.Valid ? CliApp.Ok : CliApp.Failure;
    }

    private static async Task<int> BlockAsync(Invocation inv, long height, CancellationToken ct)
    {
        if (height < 0)
        {
            throw new UsageException($"A block height is 0 or more, not {height}.");
        }

        var block = await inv.Client().BlockAsync(height, ct);
        if (inv.Json)
        {
            inv.WriteJson(block);
            return CliApp.Ok;
        }

        var header = new Grid().AddColumn().AddColumn();
        header.AddRow("Height", block.Height.ToString(CultureInfo.InvariantCulture));
        header.AddRow("Hash", block.Hash);
        header.AddRow("Previous", block.PrevHash);
        header.AddRow("Time", DateTimeOffset.FromUnixTimeMilliseconds(block.Timestamp).ToString("u", CultureInfo.InvariantCulture));
        header.AddRow("Proposer", Markup.Escape(block.Proposer));
        header.AddRow("Entries root", block.EntriesRoot);
        header.AddRow("Entries", block.EntryCount.ToString(CultureInfo.InvariantCulture));
        inv.Console.Ui.Write(header);
        if (block.Entries.Length > 0)
        {
            var entries = Tables.Create("Id", "Kind", "Key", "Origin", "Bytes");
            foreach (var e in block.Entries)
            {
                entries.AddRow(Markup.Escape(e.Id), Markup.Escape(e.Kind), Markup.Escape(e.Key ?? string.Empty), Markup.Escape(e.Origin), e.PayloadSize.ToString(CultureInfo.InvariantCulture));
            }

            inv.Console.Ui.Write(entries);
        }

        return CliApp.Ok;
    }
}
