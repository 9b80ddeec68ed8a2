namespace ActorChain.Chain;

/// <summary>
/// The hashed part of a block. <see cref="TimestampUnixMs"/> is the proposer's clock and only
/// informational: no rule depends on it.
/// </summary>
public sealed record BlockHeader(
    byte Version,
    long Height,
    Hash256 PrevHash,
    long TimestampUnixMs,
    string Proposer,
    Hash256 EntriesRoot,
    int EntryCount)
{
    /// <summary>The canonical layout version this code writes (docs/protocol.md).</summary>
    public const byte CurrentVersion = 1;

    /// <summary>SHA-256 of the header's canonical bytes.</summary>
    public Hash256 ComputeHash()
    {
        var size = BlockCodec.GetHeaderSize(this);
        Span<byte> buffer = size <= 512 ? stackalloc byte[size] : new byte[size];
        BlockCodec.WriteHeader(this, buffer);
        return Hash256.Compute(buffer);
    }
}
