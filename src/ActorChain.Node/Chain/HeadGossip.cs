using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using ActorChain.Actors;
using ActorChain.Remote.Actors;

namespace ActorChain.Node.Chain;

/// <summary>One node's decided head as it told its peers, for <c>GET /api/cluster/members</c>.</summary>
internal sealed record NodeHead(string NodeId, long Height, string Hash);

/// <summary>Asks a peer for the hash of its durable block at <see cref="Height"/> (a bootstrapping node checks a snapshot's head with it).</summary>
internal sealed record BlockHashQuery(long Height);

/// <summary>The answer to <see cref="BlockHashQuery"/>: null <see cref="Hash"/> when the node has no durable block at that height.</summary>
internal sealed record BlockHashAnswer(string NodeId, long Height, string? Hash);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(NodeHead))]
[JsonSerializable(typeof(BlockHashQuery))]
[JsonSerializable(typeof(BlockHashAnswer))]
internal sealed partial class NodeHeadJsonContext : JsonSerializerContext;

/// <summary>
/// Node-level head gossip: the chain layer's own head status stays inside its actor, so each node
/// also tells its peers' /user/node-heads its head, and keeps the last head heard from each peer.
/// The same actor answers which block a node holds at a height, once the node's chain runs.
/// </summary>
internal sealed class HeadGossip
{
    /// <summary>Type ids 900–909 belong to ActorChain.Node; never renumber.</summary>
    public const int NodeHeadTypeId = 900;

    public const int BlockHashQueryTypeId = 901;

    public const int BlockHashAnswerTypeId = 902;

    public const string ActorName = "node-heads";

    private readonly ConcurrentDictionary<string, NodeHead> _heads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IActorRef> _peers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(long Height, string NodeId), string?> _answers = new();
    private readonly Remoting _remoting;
    private readonly string _systemName;
    private readonly IActorRef _self;
    private volatile Func<long, Task<string?>>? _blockHash;

    public HeadGossip(Remoting remoting, string systemName)
    {
        _remoting = remoting;
        _systemName = systemName;
        _self = remoting.System.ActorOf(Props.Create(() => new Receiver(this)), ActorName);
    }

    /// <summary>Called as the remoting starts, so that a peer's gossip arriving before this node's chain runs still decodes.</summary>
    public static void Register(Remote.Serialization.SerializerRegistry registry)
    {
        registry.RegisterJson(NodeHeadTypeId, NodeHeadJsonContext.Default.NodeHead);
        registry.RegisterJson(BlockHashQueryTypeId, NodeHeadJsonContext.Default.BlockHashQuery);
        registry.RegisterJson(BlockHashAnswerTypeId, NodeHeadJsonContext.Default.BlockHashAnswer);
    }

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

    /// <summary>From now on, peers' <see cref="BlockHashQuery"/>s are answered with this lookup (a node answers nothing before its chain runs).</summary>
    public void AnswerBlockHashes(Func<long, Task<string?>> lookup) => _blockHash = lookup;

    /// <summary>Asks the node-heads actor of the node whose remoting is at <paramref name="address"/> (host:port); its answer lands in <see cref="Answers"/>.</summary>
    public void AskBlockHash(string address, long height) =>
        _remoting.Resolve($"actorchain://{_systemName}@{address}/user/{ActorName}").Tell(new BlockHashQuery(height), _self);

    /// <summary>The answers received so far for <paramref name="height"/>, by node id.</summary>
    public IReadOnlyDictionary<string, string?> Answers(long height) =>
        _answers.Where(a => a.Key.Height == height).ToDictionary(a => a.Key.NodeId, a => a.Value, StringComparer.Ordinal);

    private sealed class Receiver : ReceiveActor
    {
        public Receiver(HeadGossip gossip)
        {
            Receive<NodeHead>(head => gossip._heads[head.NodeId] = head);
            Receive<BlockHashAnswer>(answer => gossip._answers[(answer.Height, answer.NodeId)] = answer.Hash);
            Receive<BlockHashQuery>(query =>
            {
                var sender = Sender;
                if (gossip._blockHash is not { } lookup || sender is null)
                {
                    return;
                }

                var nodeId = gossip._remoting.Transport.NodeId;
                lookup(query.Height).ContinueWith(
                    t => sender.Tell(new BlockHashAnswer(nodeId, query.Height, t.IsCompletedSuccessfully ? t.Result : null), ActorRefs.NoSender),
                    TaskScheduler.Default);
            });
        }
    }
}
