using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using ActorChain.Actors;
using ActorChain.Remote.Actors;

namespace ActorChain.Node.Chain;

/// <summary>One node's durable head as it told its peers, for <c>GET /api/cluster/members</c>.</summary>
internal sealed record NodeHead(string NodeId, long Height, string Hash);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(NodeHead))]
internal sealed partial class NodeHeadJsonContext : JsonSerializerContext;

/// <summary>
/// Node-level head gossip: the chain layer's own head status stays inside its actor, so each node
/// also tells its peers' /user/node-heads its head, and keeps the last head heard from each peer.
/// </summary>
internal sealed class HeadGossip
{
    /// <summary>Type ids 900–909 belong to ActorChain.Node; never renumber.</summary>
    public const int NodeHeadTypeId = 900;

    public const string ActorName = "node-heads";

    private readonly ConcurrentDictionary<string, NodeHead> _heads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IActorRef> _peers = new(StringComparer.Ordinal);
    private readonly Remoting _remoting;
    private readonly string _systemName;

    public HeadGossip(Remoting remoting, string systemName)
    {
        _remoting = remoting;
        _systemName = systemName;
        remoting.System.ActorOf(Props.Create(() => new Receiver(this)), ActorName);
    }

    /// <summary>Called as the remoting starts, so that a peer's gossip arriving before this node's chain runs still decodes.</summary>
    public static void Register(Remote.Serialization.SerializerRegistry registry) =>
        registry.RegisterJson(NodeHeadTypeId, NodeHeadJsonContext.Default.NodeHead);

    public bool TryGetHead(string nodeId, out NodeHead head) => _heads.TryGetValue(nodeId, out head!);

    public void SetPeer(string nodeId, string address) =>
        _peers[nodeId] = _remoting.Resolve($"actorchain://{_systemName}@{address}/user/{ActorName}");

    public void Tell(NodeHead head)
    {
        foreach (var peer in _peers.Values)
        {
            peer.Tell(head, ActorRefs.NoSender);
        }
    }

    private sealed class Receiver : ReceiveActor
    {
        public Receiver(HeadGossip gossip) =>
            Receive<NodeHead>(head => gossip._heads[head.NodeId] = head);
    }
}
