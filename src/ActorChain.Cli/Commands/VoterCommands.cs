using System.CommandLine;
using ActorChain.Cli.Http;
using Spectre.Console;

namespace ActorChain.Cli.Commands;

/// <summary>
/// <c>cluster voters</c> and <c>cluster voter add|remove</c>: the voter set lives in the chain, so a change is a
/// committed voter.add / voter.remove entry (effective from the next height), not a membership change.
/// </summary>
internal static class VoterCommands
{
    public static IEnumerable<Command> Build(CommandContext context)
    {
        var list = new Command("voters", "The voter set at the --node's head, and how that node sees each voter's membership.");
        context.SetAction(list, ListAsync);

        var voter = new Command("voter", "Change the voter set through the chain (one change per block, effective from the next height).");

        var add = new Command("add", "Commit a voter.add: the node (a running learner that has caught up) votes from the next height.");
        var addId = new Argument<string>("node") { Description = "The node id of the new voter." };
        var publicKey = new Option<string?>("--public-key")
        {
            Description = "The voter's public key (base64 SPKI, as its node's --generate-key prints); required when the chain's blocks are signed.",
            HelpName = "base64",
        };
        add.Arguments.Add(addId);
        add.Options.Add(publicKey);
        context.SetAction(add, async (inv, ct) =>
            Changed(inv, await inv.Client().AddVoterAsync(NodeId(inv.Get(addId)), inv.Parse.GetValue(publicKey) is { Length: > 0 } key ? key : null, ct)));
        voter.Subcommands.Add(add);

        var remove = new Command("remove", "Commit a voter.remove: the quorum no longer counts the node from the next height.");
        var removeId = new Argument<string>("node") { Description = "The node id of the voter to remove." };
        remove.Arguments.Add(removeId);
        context.SetAction(remove, async (inv, ct) => Changed(inv, await inv.Client().RemoveVoterAsync(NodeId(inv.Get(removeId)), ct)));
        voter.Subcommands.Add(remove);

        return [list, voter];
    }

    private static string NodeId(string nodeId) =>
        nodeId.Length > 0 ? nodeId : throw new UsageException("the node id must not be empty.");

    private static async Task<int> ListAsync(Invocation inv, CancellationToken ct)
    {
        var client = inv.Client();
        var head = await client.HeadAsync(ct);
        var voters = await client.VotersAsync(ct);
        // A restarted node can be listed twice for a while (the old incarnation Down, the new one Up): show the live one.
        var members = (await client.MembersAsync(ct))
            .Where(m => m.NodeId is not null)
            .GroupBy(m => m.NodeId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(m => m.Status == "Up").ThenByDescending(m => m.Reachable).First(), StringComparer.Ordinal);
        var rows = voters
            .OrderBy(v => v.NodeId, StringComparer.Ordinal)
            .Select(v => (Voter: v, Member: members.GetValueOrDefault(v.NodeId)))
            .ToArray();
        var showKeys = voters.Any(v => v.HasPublicKey is not null);
        if (inv.Json)
        {
            inv.WriteJson(new
            {
                node = inv.Node,
                nodeId = head.NodeId,
                height = head.Height,
                voters = rows.Select(r => new
                {
                    nodeId = r.Voter.NodeId,
                    hasPublicKey = r.Voter.HasPublicKey,
                    member = r.Member?.Status,
                    reachable = r.Member?.Reachable,
                }),
            });
            return CliApp.Ok;
        }

        var columns = new List<string> { "Voter", "Member" };
        if (showKeys)
        {
            columns.Add("Public key");
        }

        var table = Tables.Create([.. columns]);
        foreach (var (voter, member) in rows)
        {
            var cells = new List<string> { Markup.Escape(voter.NodeId), MemberCell(member) };
            if (showKeys)
            {
                cells.Add(voter.HasPublicKey switch { true => "yes", false => "no", null => "?" });
            }

            table.AddRow([.. cells]);
        }

        inv.Console.Ui.Write(table);
        // A downed voter still counts in the quorum, which is what an operator looking at this list needs to see.
        inv.Console.Out.WriteLine($"{rows.Length} voter{(rows.Length == 1 ? string.Empty : "s")} (a quorum is {(rows.Length / 2) + 1}) as {head.NodeId} sees them at height {head.Height}.");
        return CliApp.Ok;
    }

    private static string MemberCell(Member? member) => member switch
    {
        null => "[yellow]not a member[/]",
        { Reachable: false } => $"{Markup.Escape(member.Status)}, [red]unreachable[/]",
        _ => Markup.Escape(member.Status),
    };

    private static int Changed(Invocation inv, VoterChange change)
    {
        if (inv.Json)
        {
            inv.WriteJson(change);
        }
        else
        {
            var verb = change.Change == "voter.remove" ? "Removed voter" : "Added voter";
            inv.Console.Out.WriteLine(
                $"{verb} {change.NodeId} at height {change.Height} (block {ClusterCommands.Short(change.BlockHash)}, entry {change.EntryId}); " +
                $"from height {change.Height + 1} the voters are {string.Join(", ", change.Voters.Order(StringComparer.Ordinal))}.");
        }

        return CliApp.Ok;
    }
}
