namespace ActorChain.Cluster;

/// <summary>
/// Node-to-node messages of the membership protocol. Plain data (addresses, ids, the gossip
/// table), no actor refs, so a transport can serialize them as they are.
/// </summary>
public static class ClusterProtocol
{
    /// <summary>Every cluster wire message names the incarnation that sent it.</summary>
    public interface IClusterMessage
    {
        UniqueAddress From { get; }
    }

    /// <summary>"Is anyone of cluster <paramref name="ClusterId"/> up?" — sent to the seed nodes.</summary>
    public sealed record InitJoin(UniqueAddress From, string ClusterId) : IClusterMessage;

    /// <summary>The sender is an Up member; the joiner may send it <see cref="Join"/>.</summary>
    public sealed record InitJoinAck(UniqueAddress From) : IClusterMessage;

    /// <summary>The sender is not a member, or refused the joiner's cluster id (then <paramref name="Reason"/> says so).</summary>
    public sealed record InitJoinNack(UniqueAddress From, string? Reason = null) : IClusterMessage;

    public sealed record Join(UniqueAddress From, string ClusterId) : IClusterMessage;

    /// <summary>The joiner was added as Joining; <paramref name="Gossip"/> is the table that says so.</summary>
    public sealed record Welcome(UniqueAddress From, Gossip Gossip) : IClusterMessage;

    public sealed record GossipEnvelope(UniqueAddress From, UniqueAddress To, string ClusterId, Gossip Gossip) : IClusterMessage;

    public sealed record Heartbeat(UniqueAddress From, long Sequence) : IClusterMessage;

    public sealed record HeartbeatRsp(UniqueAddress From, long Sequence) : IClusterMessage;

    /// <summary>
    /// An application message for the actor at <paramref name="Path"/> on the recipient node
    /// (used by <see cref="ClusterBroadcast"/>). The payload is serialized by the transport like
    /// any remote message.
    /// </summary>
    public sealed record Deliver(UniqueAddress From, string Path, object Message) : IClusterMessage;
}
