using Microsoft.Extensions.Logging;

namespace ActorChain.Persistence.Azure;

/// <summary>Azure persistence log lines; event ids 6100-6199 of the persistence range.</summary>
internal static partial class AzureLog
{
    [LoggerMessage(EventId = 6100, Level = LogLevel.Information,
        Message = "Azure table journal {Table}/{NodeId} verified on open: height {Height}, head {HeadHash}, {ElapsedMs} ms")]
    public static partial void JournalVerified(ILogger logger, string table, string nodeId, long height, string headHash, long elapsedMs);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning,
        Message = "Azure table journal {Table}/{NodeId} cut off a torn tail row at height {Height} ({Reason})")]
    public static partial void JournalTornTail(ILogger logger, string table, string nodeId, long height, string reason);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Error,
        Message = "Azure table journal {Table}/{NodeId} is corrupt at height {Height}: {Reason}. Serving blocks up to {ServedHeight} only; re-fetch from peers and repair with TruncateAfter + Append")]
    public static partial void JournalCorrupt(ILogger logger, string table, string nodeId, long height, string reason, long servedHeight);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Warning,
        Message = "Azure table journal {Table}/{NodeId} truncated after height {Height} ({RemovedRows} row(s) removed)")]
    public static partial void JournalTruncated(ILogger logger, string table, string nodeId, long height, int removedRows);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Information,
        Message = "Azure table journal {Table}/{NodeId}: rows {FirstHeight}..{LastHeight} were already written by an earlier attempt of this append")]
    public static partial void JournalAppendAlreadyApplied(ILogger logger, string table, string nodeId, long firstHeight, long lastHeight);

    [LoggerMessage(EventId = 6110, Level = LogLevel.Debug,
        Message = "Azure block archive {NodeId}: segment {FirstHeight}..{LastHeight} ({Bytes} bytes) {Outcome}")]
    public static partial void SegmentArchived(ILogger logger, string nodeId, long firstHeight, long lastHeight, long bytes, string outcome);

    [LoggerMessage(EventId = 6120, Level = LogLevel.Warning,
        Message = "Bootstrap snapshot {Blob} is unusable ({Reason}); trying an older one")]
    public static partial void BootstrapSnapshotDamaged(ILogger logger, string blob, string reason);
}
