namespace ActorChain.Persistence;

public sealed record BlockJournalOptions
{
    public const long DefaultSegmentSize = 64L * 1024 * 1024;

    /// <summary>A segment is closed and the next one started once it holds at least this many bytes.</summary>
    public long SegmentSize { get; init; } = DefaultSegmentSize;

    /// <summary>The largest record accepted; a longer length on disk is damage, not a block.</summary>
    public int MaxBlockBytes { get; init; } = 256 * 1024 * 1024;

    /// <summary>The most append calls one group commit (one write + one fsync) takes.</summary>
    public int MaxBatchAppends { get; init; } = 1024;

    /// <summary>When set, block 0 must be this cluster's genesis or the journal reports it as corrupt.</summary>
    public string? ExpectedClusterId { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(SegmentSize, 1, nameof(SegmentSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBlockBytes, 1, nameof(MaxBlockBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchAppends, 1, nameof(MaxBatchAppends));
    }
}
