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

    [LoggerMessage(EventId = 9010, Level = LogLevel.Information, Message = "Node {NodeId} chain started at height {Height} head {HeadHash} (genesis {GenesisHash}, initial voters {Voters})")]
    public static partial void ChainStarted(ILogger logger, string nodeId, long height, string headHash, string genesisHash, string voters);

    [LoggerMessage(EventId = 9011, Level = LogLevel.Information, Message = "Node {NodeId} chain peers: {Peers}")]
    public static partial void ChainPeers(ILogger logger, string nodeId, string peers);

    [LoggerMessage(EventId = 9012, Level = LogLevel.Critical, Message = "Node {NodeId}: the chain actor stopped (its store failed or it crashed); the node cannot serve the chain and exits with code {ExitCode} (restart it: it recovers from its store)")]
    public static partial void ChainStopped(ILogger logger, string nodeId, int exitCode);

    [LoggerMessage(EventId = 9014, Level = LogLevel.Warning, Message = "Node {NodeId}: the journal did not take the last decided blocks before the stop ({Reason}); the node fetches them from its peers when it starts again")]
    public static partial void JournalNotFlushedAtStop(ILogger logger, string nodeId, string reason);

    [LoggerMessage(EventId = 9013, Level = LogLevel.Warning, Message = "Node {NodeId}: refreshing chain peers, voters and head gossip failed; trying again")]
    public static partial void ChainRefreshFailed(ILogger logger, string nodeId, Exception exception);
}
