using ActorChain.Actors;
using Microsoft.Extensions.Logging;

namespace ActorChain.Cluster;

/// <summary>EventIds 3000–3999 belong to ActorChain.Cluster.</summary>
internal static partial class ClusterLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Node {Node} joining cluster {ClusterId} through seed nodes {Seeds}")]
    public static partial void JoiningSeedNodes(ILogger logger, string node, string clusterId, string seeds);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Node {Node} found no running seed node and formed cluster {ClusterId}")]
    public static partial void FormedCluster(ILogger logger, string node, string clusterId);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Node {Node} is joining (added by {Self})")]
    public static partial void MemberJoining(ILogger logger, string node, string self);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Node {Node} was welcomed into the cluster by {Welcomer}")]
    public static partial void Welcomed(ILogger logger, string node, string welcomer);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Member {Node} is Up (seen by {Self})")]
    public static partial void MemberUp(ILogger logger, string node, string self);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Member {Node} is leaving (seen by {Self})")]
    public static partial void MemberLeaving(ILogger logger, string node, string self);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Member {Node} is exiting (seen by {Self})")]
    public static partial void MemberExiting(ILogger logger, string node, string self);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Member {Node} was removed, previously {PreviousStatus} (seen by {Self})")]
    public static partial void MemberRemoved(ILogger logger, string node, MemberStatus previousStatus, string self);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Warning, Message = "Member {Node} is Down (seen by {Self})")]
    public static partial void MemberDowned(ILogger logger, string node, string self);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Warning, Message = "Node {Self} marks {Node} unreachable (phi {Phi:F1})")]
    public static partial void MarkedUnreachable(ILogger logger, string self, string node, double phi);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Node {Self} marks {Node} reachable again")]
    public static partial void MarkedReachable(ILogger logger, string self, string node);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "Refused {Request} from {Node}: its cluster id {TheirClusterId} is not {ClusterId}")]
    public static partial void RefusedWrongClusterId(ILogger logger, string request, string node, string theirClusterId, string clusterId);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "Seed {Seed} refused node {Self}: {Reason}")]
    public static partial void JoinRefused(ILogger logger, string seed, string self, string reason);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Warning, Message = "Keep-majority downing on {Self}: {Reachable} of {Counted} members reachable; downing unreachable {Nodes}")]
    public static partial void DowningUnreachable(ILogger logger, string self, int reachable, int counted, string nodes);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Warning, Message = "Keep-majority downing on {Self}: only {Reachable} of {Counted} members reachable; this side is the minority and downs itself")]
    public static partial void DowningSelf(ILogger logger, string self, int reachable, int counted);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Information, Message = "Operator downs {Node} (requested on {Self})")]
    public static partial void OperatorDown(ILogger logger, string node, string self);

    [LoggerMessage(EventId = 3016, Level = LogLevel.Warning, Message = "Node {Self} is {Status}; it no longer takes part in the cluster")]
    public static partial void ShutDown(ILogger logger, string self, MemberStatus status);

    [LoggerMessage(EventId = 3017, Level = LogLevel.Error, Message = "A cluster {Hook} callback on {Self} threw")]
    public static partial void CallbackFailed(ILogger logger, Exception exception, string hook, string self);

    [LoggerMessage(EventId = 3018, Level = LogLevel.Warning, Message = "New incarnation {Node} joins; its previous incarnation {Old} is downed")]
    public static partial void DowningOldIncarnation(ILogger logger, string node, string old);

    [LoggerMessage(EventId = 3019, Level = LogLevel.Debug, Message = "Link from {Self} to {Peer} is {State}")]
    public static partial void LinkChanged(ILogger logger, string self, Address peer, string state);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Debug, Message = "Broadcast from {Sender} to {Path} on {Self} found no actor")]
    public static partial void DeliveryTargetMissing(ILogger logger, string sender, string path, string self);
}
