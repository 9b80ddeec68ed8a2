using System.CommandLine;
using ActorChain.Cli.Http;

namespace ActorChain.Cli;

/// <summary>One node of the cluster as the CLI reaches it over HTTP.</summary>
internal sealed record NodeTarget(string? NodeId, Uri Http);

/// <summary>
/// Which nodes a cluster-wide command (<c>chain head --all</c>, <c>chain diff</c>, <c>load</c>) talks to.
/// Members report only their remote (cluster) address, so: <c>--nodes</c> lists the HTTP addresses outright;
/// otherwise every member's HTTP port is its remote port plus one offset — <c>--http-port-offset</c>, or by default
/// the offset of the <c>--node</c> itself (its HTTP port minus the remote port it reports for itself), which holds for
/// <c>run.sh</c> (8081.. and 4053..) and any deployment that numbers both ports alike.
/// </summary>
internal sealed class NodeSet
{
    public NodeSet(string nodesDescription)
    {
        Nodes = new Option<Uri[]>("--nodes", "--endpoints")
        {
            Description = nodesDescription,
            HelpName = "url,url,…",
            AllowMultipleArgumentsPerToken = true,
            CustomParser = result => ParseList(result),
        };
        HttpPortOffset = new Option<int?>("--http-port-offset")
        {
            Description = "A member's HTTP port is its remote port plus this (default: as for --node).",
            HelpName = "n",
        };
    }

    public Option<Uri[]> Nodes { get; }

    public Option<int?> HttpPortOffset { get; }

    public void AddTo(Command command)
    {
        command.Options.Add(Nodes);
        command.Options.Add(HttpPortOffset);
    }

    public static Uri[] ParseList(System.CommandLine.Parsing.ArgumentResult result)
    {
        var list = new List<Uri>();
        foreach (var part in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            try
            {
                list.Add(CommonOptions.ParseNode(part));
            }
            catch (UsageException e)
            {
                result.AddError(e.Message);
            }
        }

        return [.. list];
    }

    public async Task<IReadOnlyList<NodeTarget>> ResolveAsync(Invocation invocation, CancellationToken ct)
    {
        var listed = invocation.Parse.GetValue(Nodes);
        if (listed is { Length: > 0 })
        {
            return [.. listed.Select(u => new NodeTarget(null, u))];
        }

        var client = invocation.Client();
        var members = await client.MembersAsync(ct);
        var head = await client.HeadAsync(ct);
        return Map(invocation.Node, head.NodeId, members, invocation.Parse.GetValue(HttpPortOffset));
    }

    /// <summary>The members' HTTP addresses as the class comment says; the asked node keeps the address it was asked on.</summary>
    public static IReadOnlyList<NodeTarget> Map(Uri askedNode, string askedNodeId, IReadOnlyList<Member> members, int? offset)
    {
        var self = members.FirstOrDefault(m => m.NodeId == askedNodeId);
        if (offset is null)
        {
            if (self is null || !TryPort(self.Address, out var selfRemotePort))
            {
                throw new UsageException($"{askedNode} does not list itself among the members; give --nodes or --http-port-offset.");
            }

            offset = askedNode.Port - selfRemotePort;
        }

        var targets = new List<NodeTarget>();
        foreach (var member in members.OrderBy(m => m.NodeId, StringComparer.Ordinal))
        {
            if (member.NodeId == askedNodeId)
            {
                targets.Add(new NodeTarget(member.NodeId, askedNode));
                continue;
            }

            if (!TryPort(member.Address, out var port))
            {
                continue;
            }

            var host = HostOf(member.Address);
            var builder = new UriBuilder(askedNode.Scheme, host is "0.0.0.0" or "::" or "[::]" ? askedNode.Host : host, port + offset.Value);
            targets.Add(new NodeTarget(member.NodeId, builder.Uri));
        }

        return targets;
    }

    private static string HostOf(string address) => address[..address.LastIndexOf(':')];

    private static bool TryPort(string address, out int port)
    {
        port = 0;
        var colon = address.LastIndexOf(':');
        return colon > 0 && int.TryParse(address.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port);
    }
}
