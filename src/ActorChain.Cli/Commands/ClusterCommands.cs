using System.CommandLine;
using ActorChain.Cli.Http;
using Spectre.Console;

namespace ActorChain.Cli.Commands;

/// <summary><c>cluster show|leave|down|tail|voters|voter</c>: the Petabridge.Cmd cluster palette over the gateway.</summary>
internal static class ClusterCommands
{
    public static Command Build(CommandContext context)
    {
        var cluster = new Command("cluster", "Membership: show the members, leave, down a node, tail changes; list and change the voters.");

        var show = new Command("show", "Every member with its status, reachability, voter flag and chain head, and whether all heads agree.");
        context.SetAction(show, ShowAsync);
        cluster.Subcommands.Add(show);

        var leave = new Command("leave", "Ask the --node to leave the cluster gracefully.");
        context.SetAction(leave, async (inv, ct) => Report(inv, await inv.Client().LeaveAsync(ct)));
        cluster.Subcommands.Add(leave);

        var down = new Command("down", "Mark a member Down (it is removed from the membership; the voter set changes only through 'cluster voter').");
        var nodeId = new Argument<string>("node") { Description = "The node id of the member to down." };
        down.Arguments.Add(nodeId);
        context.SetAction(down, async (inv, ct) => Report(inv, await inv.Client().DownAsync(inv.Get(nodeId), ct)));
        cluster.Subcommands.Add(down);

        cluster.Subcommands.Add(ClusterTail.Build(context));
        foreach (var command in VoterCommands.Build(context))
        {
            cluster.Subcommands.Add(command);
        }

        return cluster;
    }

    /// <summary>Heads agree when every member reports the same height and head hash.</summary>
    public static bool HeadsAgree(IReadOnlyList<Member> members) =>
        members.Count > 0 && members.All(m => m.HeadHash is not null && m.Height == members[0].Height && m.HeadHash == members[0].HeadHash);

    private static async Task<int> ShowAsync(Invocation inv, CancellationToken ct)
    {
        var members = (await inv.Client().MembersAsync(ct)).OrderBy(m => m.NodeId, StringComparer.Ordinal).ToArray();
        var agree = HeadsAgree(members);
        if (inv.Json)
        {
            inv.WriteJson(new { node = inv.Node, members, headsAgree = agree });
            return CliApp.Ok;
        }

        var table = Tables.Create("Address", "Node", "Status", "Reachable", "Voter", "Height", "Head");
        foreach (var m in members)
        {
            table.AddRow(
                Markup.Escape(m.Address),
                Markup.Escape(m.NodeId ?? "?"),
                Markup.Escape(m.Status),
                m.Reachable ? "yes" : "[red]no[/]",
                m.Voter ? "yes" : "no",
                m.Height.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(Short(m.HeadHash)));
        }

        inv.Console.Ui.Write(table);
        inv.Console.Out.WriteLine(agree
            ? $"All {members.Length} heads agree: height {members[0].Height}, {Short(members[0].HeadHash)}."
            : $"Heads differ: {string.Join(", ", members.Select(m => $"{m.NodeId ?? m.Address} {m.Height}/{Short(m.HeadHash)}"))}.");
        return CliApp.Ok;
    }

    private static int Report(Invocation inv, MembershipChange change)
    {
        if (inv.Json)
        {
            inv.WriteJson(change);
        }
        else
        {
            inv.Console.Out.WriteLine($"Requested {change.Requested} of {change.NodeId} ({change.Address}).");
        }

        return CliApp.Ok;
    }

    public static string Short(string? hash, int length = 12) => hash is null ? "?" : hash.Length > length ? hash[..length] : hash;
}
