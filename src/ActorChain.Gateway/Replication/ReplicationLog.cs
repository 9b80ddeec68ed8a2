using ActorChain.Chain;
using Microsoft.Extensions.Logging;

namespace ActorChain.Gateway.Replication;

/// <summary>EventIds 8050–8069 (inside ActorChain.Gateway's range) belong to file replication.</summary>
internal static partial class ReplicationLog
{
    [LoggerMessage(EventId = 8050, Level = LogLevel.Information, Message = "Node {NodeId} copied file {Sha256} ({Size} bytes) from {Peer}")]
    public static partial void Copied(ILogger logger, string nodeId, Hash256 sha256, long size, string peer);

    [LoggerMessage(EventId = 8051, Level = LogLevel.Warning, Message = "Node {NodeId} rejected the bytes of {Sha256} from {Peer}: {Reason}")]
    public static partial void Corrupt(ILogger logger, string nodeId, Hash256 sha256, string peer, string reason);

    [LoggerMessage(EventId = 8052, Level = LogLevel.Information, Message = "Node {NodeId} could not copy {Sha256} yet (attempt {Attempt}, next in {Delay}): {Reason}")]
    public static partial void CopyFailed(ILogger logger, string nodeId, Hash256 sha256, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(EventId = 8053, Level = LogLevel.Warning, Message = "Node {NodeId} could not read the chain for files to copy")]
    public static partial void ScanFailed(ILogger logger, string nodeId, Exception exception);

    [LoggerMessage(EventId = 8054, Level = LogLevel.Warning, Message = "Node {NodeId} could not serve {Sha256} at {Offset}")]
    public static partial void ServeFailed(ILogger logger, string nodeId, Hash256 sha256, long offset, Exception exception);

    [LoggerMessage(EventId = 8055, Level = LogLevel.Information, Message = "Node {NodeId} is missing the bytes of {Count} files at height {Height}; copying them from peers")]
    public static partial void Resuming(ILogger logger, string nodeId, int count, long height);

    [LoggerMessage(EventId = 8056, Level = LogLevel.Debug, Message = "Node {NodeId} answered a fetch of {Sha256} at {Offset} (+{Length}) with {Reason}")]
    public static partial void NotHere(ILogger logger, string nodeId, Hash256 sha256, long offset, int length, NotHereReason reason);
}
