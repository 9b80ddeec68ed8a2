using ActorChain.Cluster;
using ActorChain.Gateway.Operations;
using ActorChain.Node.Configuration;

namespace ActorChain.Node;

/// <summary>
/// Issue 7 on the node: OpenAPI and Swagger UI, <c>GET /metrics</c> with the chain's and the
/// cluster's numbers, API keys on writes, problem+json for every error and Kestrel's limits. The
/// gateway's <see cref="GatewayOperations"/> does the work; this wires it to the node's settings,
/// chain and cluster.
/// </summary>
internal sealed partial class ActorChainNode
{
    // Ids and summaries of the routes the node maps itself; routes mapped elsewhere bring their own (WithName/WithSummary).
    private static readonly Dictionary<string, RouteDoc> NodeRouteDocs = new(StringComparer.OrdinalIgnoreCase)
    {
        ["GET /health/live"] = new("getLive", "Liveness: 200 while the node serves HTTP."),
        ["GET /health/ready"] = new("getReady", "Readiness: 200 when Up in the cluster and caught up with the chain, else 503 with the reason."),
        ["PUT /api/kv/{key}"] = new("putValue", "Stores the body as the key's value; answers once a decided block holds it."),
        ["GET /api/kv/{key}"] = new("getValue", "The key's value (local, or ?consistency=linearizable); 404 when absent."),
        ["DELETE /api/kv/{key}"] = new("deleteValue", "Deletes the key; answers once committed, 404 when absent."),
        ["GET /api/chain/head"] = new("getHead", "This node's decided head: node id, height, hash."),
        ["GET /api/chain/blocks/{height}"] = new("getBlock", "One block with its entries."),
        ["GET /api/chain/blocks"] = new("getBlocks", "Blocks from ?from= (default 0), ?count= of them (1-100, default 20)."),
        ["GET /api/chain/verify"] = new("verifyChain", "Re-verifies the durable chain from genesis: valid, or the first invalid height and why."),
        ["GET /api/cluster/members"] = new("getMembers", "Every member: node id, address, status, reachability, voter, head."),
        ["POST /api/cluster/leave"] = new("leaveCluster", "This node leaves the cluster and stops (202)."),
        ["POST /api/cluster/down/{nodeId}"] = new("downMember", "Marks a member down (202); 404 for an unknown node id."),
        ["PUT /api/admin/faults/{nodeId}"] = new("injectFault", "Breaks the link to a node (blackhole, drop, delay, throttle, heal); only with actorchain.admin.fault-injection."),
        ["DELETE /api/admin/faults"] = new("healFaults", "Heals every injected fault; only with actorchain.admin.fault-injection."),
    };

    private static void AddOperations(WebApplicationBuilder builder, NodeSettings settings)
    {
        GatewayOperations.AddServices(builder.Services, new GatewayOperationsOptions
        {
            ApiKeys = settings.Gateway.ApiKeys,
            Limits = settings.Gateway.Limits,
            RouteDocs = NodeRouteDocs,
        });
        builder.WebHost.ConfigureKestrel(kestrel => GatewayOperations.ConfigureKestrel(kestrel, settings.Gateway.Limits));
    }

    private void UseOperations()
    {
        Web.UseGatewayOperations();
        Web.Services.GetRequiredService<GatewayMetrics>().Add(WriteMetrics);
    }

    private void WriteMetrics(PrometheusTextWriter writer)
    {
        writer.Family(
            "actorchain_node_info",
            "Always 1; the labels name this node and its cluster.",
            "gauge",
            [([("node_id", Settings.NodeId), ("cluster_id", Settings.ClusterId)], 1)]);
        GatewayOperations.WriteChain(writer, Chain.Client.Metrics, Chain.Service.Head);

        var state = Cluster.State;
        var self = Cluster.SelfAddress;
        var peers = state.Members.Where(m => m.Address != self).ToList();
        writer.Gauge(
            "actorchain_cluster_reachable_peers",
            "Other members this node's failure detector finds reachable.",
            peers.Count(m => !state.IsUnreachable(m.Address)));
        writer.Family(
            "actorchain_cluster_members",
            "Members in this node's view of the cluster (itself included), by status.",
            "gauge",
            Enum.GetValues<MemberStatus>().Where(s => s != MemberStatus.Removed).Select(status =>
                ((IReadOnlyList<(string, string)>)[("status", status.ToString())], (double)state.Members.Count(m => m.Status == status))));
    }
}
