using ActorChain.Chain;
using Microsoft.Extensions.Logging;

namespace ActorChain.Gateway;

/// <summary>EventIds 8000–8099 belong to ActorChain.Gateway.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 8000, Level = LogLevel.Information, Message = "Node {NodeId} committed file {FileId} ({Size} bytes, '{FileName}') at height {Height}")]
    public static partial void FileAdded(ILogger logger, string nodeId, string fileId, long size, string fileName, long height);

    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "Node {NodeId} removed blob {Sha256}: no committed file uses it and no upload holds it")]
    public static partial void OrphanRemoved(ILogger logger, string nodeId, Hash256 sha256);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Warning, Message = "Node {NodeId} keeps blob {Sha256}: its file.add {EntryId} was not seen committed in time and may still commit")]
    public static partial void CommitUncertain(ILogger logger, string nodeId, Hash256 sha256, string entryId);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Warning, Message = "Node {NodeId} could not remove blob {Sha256}")]
    public static partial void OrphanRemovalFailed(ILogger logger, string nodeId, Hash256 sha256, Exception exception);

    [LoggerMessage(EventId = 8004, Level = LogLevel.Debug, Message = "Node {NodeId} read no usable metadata from {Sha256} ({ContentType})")]
    public static partial void MetadataUnreadable(ILogger logger, string nodeId, Hash256 sha256, string contentType, Exception exception);
}
