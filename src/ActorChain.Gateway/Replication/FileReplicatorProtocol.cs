using ActorChain.Chain;

namespace ActorChain.Gateway.Replication;

/// <summary>Messages to <see cref="FileReplicator"/> from inside its node.</summary>
internal static class FileReplicatorProtocol
{
    /// <summary>A read wants these bytes now: copy them first; <paramref name="Ready"/> completes true once they are stored, false when the file is gone.</summary>
    public sealed record Need(Hash256 Sha256, long Size, string? Origin, TaskCompletionSource<bool> Ready);

    internal sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    internal sealed record Wanted(Hash256 Sha256, long Size, string? Origin);

    /// <summary>What the chain says up to <paramref name="Height"/>: files whose bytes are missing here, and deleted files.</summary>
    internal sealed record Scanned(long Height, IReadOnlyList<Wanted> Missing, IReadOnlyList<Hash256> Deleted);

    internal sealed record ScanFailed(Exception Cause);

    internal enum CopyResult
    {
        Stored,
        Gone,
        Failed,
    }

    internal sealed record CopyDone(Hash256 Sha256, CopyResult Result, string? Detail);
}
