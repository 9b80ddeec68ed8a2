using Microsoft.Extensions.Logging;

namespace ActorChain.Persistence;

/// <summary>Persistence log lines; event ids 6000-6999.</summary>
internal static partial class PersistenceLog
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Information,
        Message = "Block journal {Directory} verified on open: height {Height}, head {HeadHash}, {Segments} segment(s), {ElapsedMs} ms")]
    public static partial void JournalVerified(ILogger logger, string directory, long height, string headHash, int segments, long elapsedMs);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning,
        Message = "Block journal cut off a torn tail record at height {Height} in {Segment}: {BytesDropped} bytes dropped ({Reason})")]
    public static partial void JournalTornTail(ILogger logger, long height, string segment, long bytesDropped, string reason);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Error,
        Message = "Block journal is corrupt at height {Height}: {Reason}. Serving blocks up to {ServedHeight} only; re-fetch from peers and repair with TruncateAfter + Append")]
    public static partial void JournalCorrupt(ILogger logger, long height, string reason, long servedHeight);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning,
        Message = "Block journal truncated after height {Height} ({RemovedBlocks} block(s) removed)")]
    public static partial void JournalTruncated(ILogger logger, long height, long removedBlocks);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Information,
        Message = "Block journal started segment {Segment}")]
    public static partial void JournalSegmentStarted(ILogger logger, string segment);

    [LoggerMessage(EventId = 6010, Level = LogLevel.Information,
        Message = "Acceptor log {Path} replayed {Records} record(s)")]
    public static partial void AcceptorLogReplayed(ILogger logger, string path, int records);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Warning,
        Message = "Acceptor log {Path} cut off a torn tail after record {Records}: {BytesDropped} bytes dropped ({Reason})")]
    public static partial void AcceptorLogTornTail(ILogger logger, string path, int records, long bytesDropped, string reason);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Information,
        Message = "Acceptor log {Path} compacted to {Records} live record(s), {Bytes} bytes")]
    public static partial void AcceptorLogCompacted(ILogger logger, string path, int records, long bytes);

    [LoggerMessage(EventId = 6020, Level = LogLevel.Information,
        Message = "Ledger snapshot saved at height {Height} ({Bytes} bytes)")]
    public static partial void SnapshotSaved(ILogger logger, long height, int bytes);

    [LoggerMessage(EventId = 6021, Level = LogLevel.Warning,
        Message = "Ledger snapshot at height {Height} is unusable ({Reason}); falling back to an older one")]
    public static partial void SnapshotDamaged(ILogger logger, long height, string reason);

    [LoggerMessage(EventId = 6022, Level = LogLevel.Information,
        Message = "Ledger snapshot at height {Height} loaded")]
    public static partial void SnapshotLoaded(ILogger logger, long height);

    [LoggerMessage(EventId = 6030, Level = LogLevel.Information,
        Message = "Recovered ledger at height {Height} (head {HeadHash}) from snapshot {SnapshotHeight} plus {ReplayedBlocks} journal block(s) in {ElapsedMs} ms")]
    public static partial void Recovered(ILogger logger, long height, string headHash, long snapshotHeight, long replayedBlocks, long elapsedMs);
}
