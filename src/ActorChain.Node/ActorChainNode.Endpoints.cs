using System.Text.Json;
using System.Text.Json.Serialization;
using ActorChain.Cluster;

namespace ActorChain.Node;

/// <summary>One row of <c>GET /api/cluster/members</c> (DESIGN §8).</summary>
internal sealed record MemberView(string? NodeId, string Address, string Status, bool Reachable, bool Voter, long Height, string? HeadHash);

internal sealed record MembershipChange(string NodeId, string Address, string Requested);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(MemberView[]))]
[JsonSerializable(typeof(MembershipChange))]
internal sealed partial class NodeJsonContext : JsonSerializerContext;

internal sealed partial class ActorChainNode
{
    // Ready answers within about this long even while no quorum answers the chain's read index.
    private static readonly TimeSpan ReadyChainTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Every member of the latest gossip (Removed ones are gone from it), this node included.</summary>
    public MemberView[] Members()
    {
        var state = Cluster.State;
        return [.. state.Members.Select(member =>
        {
            var nodeId = NodeIdOf(member.Address);
            var chain = ChainStatus.Describe(nodeId, member);
            return new MemberView(
                nodeId,
                $"{member.Address.Host}:{member.Address.Port}",
                member.Status.ToString(),
                !state.IsUnreachable(member.Address),
                chain.Voter,
                chain.Height,
                chain.HeadHash);
        })];
    }

    public string? NodeIdOf(Actors.Address address) =>
        address == Cluster.SelfAddress ? Settings.NodeId : ClusterTransport.NodeIdOf(address);

    private void MapClusterEndpoints()
    {
        // Errors and empty error responses become problem+json in the gateway's operations middleware (UseOperations).
        MapAdminEndpoints();

        Web.MapGet("/health/live", () => Results.Text("live\n"));
        Web.MapGet("/health/ready", async (HttpContext http) =>
        {
            var self = Cluster.SelfMember;
            if (self.Status != MemberStatus.Up || Cluster.IsTerminated)
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "Not ready",
                    detail: $"Node {Settings.NodeId} is {(Cluster.IsTerminated ? "no longer a member" : self.Status.ToString())}, not Up in the cluster.");
            }

            var (ready, reason) = await Chain.IsCaughtUpAsync(ReadyChainTimeout, http.RequestAborted);
            return ready
                ? Results.Text("ready\n")
                : Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready", detail: $"Node {Settings.NodeId} is Up, but {reason}.");
        });

        var cluster = Web.MapGroup("/api/cluster");
        cluster.MapGet("/members", () => Results.Json(Members(), NodeJsonContext.Default.MemberViewArray));
        cluster.MapPost("/leave", () =>
        {
            RequestLeave();
            return Results.Json(
                new MembershipChange(Settings.NodeId, RemoteAddress.ToString(), "leave"),
                NodeJsonContext.Default.MembershipChange,
                statusCode: StatusCodes.Status202Accepted);
        });
        cluster.MapPost("/down/{nodeId}", (string nodeId) =>
        {
            var member = Cluster.State.Members.FirstOrDefault(m => NodeIdOf(m.Address) == nodeId);
            if (member is null)
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status404NotFound,
                    title: "Unknown node",
                    detail: $"No member of the cluster has node id '{nodeId}'.");
            }

            var address = $"{member.Address.Host}:{member.Address.Port}";
            NodeLog.DowningOnRequest(_log, nodeId, address);
            Cluster.Down(member.Address);
            return Results.Json(new MembershipChange(nodeId, address, "down"), NodeJsonContext.Default.MembershipChange, statusCode: StatusCodes.Status202Accepted);
        });
    }
}
