namespace ActorChain.Chain;

/// <summary>
/// The outcome of verifying blocks in order. Verification stops at the first invalid block:
/// everything up to <see cref="Height"/> checked out.
/// </summary>
public sealed class ChainVerificationResult
{
    private ChainVerificationResult(long height, Hash256 headHash, long? firstInvalidHeight, ChainFault? fault, string? reason)
    {
        Height = height;
        HeadHash = headHash;
        FirstInvalidHeight = firstInvalidHeight;
        Fault = fault;
        Reason = reason;
    }

    public bool IsValid => Fault is null;

    /// <summary>
    /// The height of the last valid block: the head when valid, one below <see cref="FirstInvalidHeight"/>
    /// otherwise. -1 when block 0 itself is invalid; a segment verified after a trusted block
    /// starts from that block's height.
    /// </summary>
    public long Height { get; }

    /// <summary>The hash of the block at <see cref="Height"/>; for a segment with no valid block, the trusted hash it started from.</summary>
    public Hash256 HeadHash { get; }

    public long? FirstInvalidHeight { get; }

    public ChainFault? Fault { get; }

    /// <summary>A sentence naming the height and what is wrong there; null when valid.</summary>
    public string? Reason { get; }

    public override string ToString() => IsValid ? $"valid up to block {Height} ({HeadHash})" : Reason!;

    internal static ChainVerificationResult Valid(long height, Hash256 headHash) => new(height, headHash, null, null, null);

    internal static ChainVerificationResult Invalid(long lastValidHeight, Hash256 lastValidHash, ChainFault fault, string reason) =>
        new(lastValidHeight, lastValidHash, lastValidHeight + 1, fault, reason);
}
