namespace ActorChain.Node.Storage;

/// <summary>The node's storage lines (journal repair, Azure copies, bootstrap); EventIds 9100–9149 of ActorChain.Node.</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 9100, Level = LogLevel.Error,
        Message = "Node {NodeId}: journal block {Height} is corrupt ({Reason}); serving blocks up to {ServedHeight} only and re-fetching from height {Height} from peers")]
    public static partial void JournalCorruptAtStart(ILogger logger, string nodeId, long height, string reason, long servedHeight);

    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning,
        Message = "Node {NodeId}: repairing the journal: cut after block {Height}, rewriting it from blocks re-fetched from peers")]
    public static partial void JournalRepairing(ILogger logger, string nodeId, long height);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Information,
        Message = "Node {NodeId}: journal repaired: blocks {FromHeight}..{ToHeight} re-fetched from peers, verified and rewritten")]
    public static partial void JournalRepaired(ILogger logger, string nodeId, long fromHeight, long toHeight);

    [LoggerMessage(EventId = 9110, Level = LogLevel.Information,
        Message = "Node {NodeId}: Azure Storage configured (container {Container}, table {Table}, table journal {TableJournal}, blob files {BlobFiles}, snapshot every {SnapshotInterval} blocks)")]
    public static partial void AzureConfigured(ILogger logger, string nodeId, string container, string table, bool tableJournal, bool blobFiles, long snapshotInterval);

    [LoggerMessage(EventId = 9111, Level = LogLevel.Debug,
        Message = "Node {NodeId}: blocks {FromHeight}..{ToHeight} copied to Azure ({What})")]
    public static partial void AzureBlocksCopied(ILogger logger, string nodeId, long fromHeight, long toHeight, string what);

    [LoggerMessage(EventId = 9112, Level = LogLevel.Information,
        Message = "Node {NodeId}: ledger snapshot at height {Height} uploaded to Azure ({Bytes} bytes)")]
    public static partial void AzureSnapshotUploaded(ILogger logger, string nodeId, long height, int bytes);

    [LoggerMessage(EventId = 9113, Level = LogLevel.Warning,
        Message = "Node {NodeId}: Azure Storage failed ({Reason}); the local journal keeps every block, retrying in {Backoff}")]
    public static partial void AzureFailed(ILogger logger, string nodeId, string reason, TimeSpan backoff);

    [LoggerMessage(EventId = 9114, Level = LogLevel.Information,
        Message = "Node {NodeId}: Azure Storage answers again after {Outage}")]
    public static partial void AzureRecovered(ILogger logger, string nodeId, TimeSpan outage);

    [LoggerMessage(EventId = 9120, Level = LogLevel.Information,
        Message = "Node {NodeId}: bootstrapping from the blob snapshot of {SourceNodeId} at height {Height} (head {HeadHash})")]
    public static partial void BootstrapStarting(ILogger logger, string nodeId, string sourceNodeId, long height, string headHash);

    [LoggerMessage(EventId = 9121, Level = LogLevel.Information,
        Message = "Node {NodeId}: bootstrapped from the blob snapshot at height {Height} (head {HeadHash} confirmed by {Confirmations}: {Peers}); catching up the rest from peers")]
    public static partial void Bootstrapped(ILogger logger, string nodeId, long height, string headHash, int confirmations, string peers);

    [LoggerMessage(EventId = 9122, Level = LogLevel.Warning,
        Message = "Node {NodeId}: not bootstrapping from Azure ({Reason}); catching up from genesis through peers")]
    public static partial void BootstrapSkipped(ILogger logger, string nodeId, string reason);

    [LoggerMessage(EventId = 9123, Level = LogLevel.Information,
        Message = "Node {NodeId}: no ledger snapshot in Azure container {Container} yet; starting from genesis and catching up from peers")]
    public static partial void BootstrapNoSnapshot(ILogger logger, string nodeId, string container);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Information,
        Message = "Node {NodeId}: chain recovered at height {Height} (head {HeadHash}) from the ledger snapshot at {SnapshotHeight} (-1: none) plus {ReplayedBlocks} journal blocks")]
    public static partial void ChainRecovered(ILogger logger, string nodeId, long height, string headHash, long snapshotHeight, long replayedBlocks);

    [LoggerMessage(EventId = 9104, Level = LogLevel.Error,
        Message = "Node {NodeId}: journal block {Height} cannot be read back ({Reason}); it is not served")]
    public static partial void OlderBlockUnreadable(ILogger logger, string nodeId, long height, string reason);

    [LoggerMessage(EventId = 9105, Level = LogLevel.Information,
        Message = "Node {NodeId}: ledger snapshot at height {Height} saved ({Bytes} bytes; the chain paused {CaptureMs} ms to copy its ledger)")]
    public static partial void LocalSnapshotSaved(ILogger logger, string nodeId, long height, int bytes, long captureMs);

    [LoggerMessage(EventId = 9106, Level = LogLevel.Warning,
        Message = "Node {NodeId}: saving the ledger snapshot at height {Height} failed ({Reason}); the journal keeps every block, the next one is tried after {Interval} more blocks")]
    public static partial void LocalSnapshotFailed(ILogger logger, string nodeId, long height, string reason, long interval);
}
