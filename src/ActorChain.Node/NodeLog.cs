using ActorChain.Cluster;

namespace ActorChain.Node;

/// <summary>EventIds 9000–9099 belong to ActorChain.Node.</summary>
internal static partial class NodeLog
{
    [LoggerMessage(EventId = 9000, Level = LogLevel.Information, Message = "Node {NodeId} is leaving the cluster")]
    public static partial void Leaving(ILogger logger, string nodeId);

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Node {NodeId} left the cluster; stopping")]
    public static partial void Left(ILogger logger, string nodeId);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "Node {NodeId} was not seen leaving within {Timeout}; stopping anyway")]
    public static partial void LeaveTimedOut(ILogger logger, string nodeId, TimeSpan timeout);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Critical, Message = "Node {NodeId} was removed from the cluster (status {Status}: downed by an operator or by keep-majority); exiting with code {ExitCode}")]
    public static partial void RemovedFromCluster(ILogger logger, string nodeId, MemberStatus status, int exitCode);

    [LoggerMessage(EventId = 9004, Level = LogLevel.Information, Message = "Downing {TargetNodeId} at {Address} on request")]
    public static partial void DowningOnRequest(ILogger logger, string targetNodeId, string address);
}
