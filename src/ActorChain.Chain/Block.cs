namespace ActorChain.Chain;

/// <summary>
/// A header, its entries, the hash the block claims, and a signature slot the hash does not
/// cover. A block read from disk or the wire keeps the hash it claimed, so that
/// chain verification can say which height was tampered with.
/// </summary>
public sealed class Block
{
    public Block(BlockHeader header, IReadOnlyList<Entry> entries, Hash256 hash, ReadOnlyMemory<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(entries);
        Header = header;
        Entries = entries;
        Hash = hash;
        Signature = signature;
    }

    public BlockHeader Header { get; }

    public IReadOnlyList<Entry> Entries { get; }

    /// <summary>The hash this block claims; equal to <see cref="BlockHeader.ComputeHash"/> for a valid block.</summary>
    public Hash256 Hash { get; }

    /// <summary>The proposer's signature over <see cref="Hash"/>; empty until blocks are signed.</summary>
    public ReadOnlyMemory<byte> Signature { get; }

    public long Height => Header.Height;

    public Hash256 PrevHash => Header.PrevHash;

    /// <summary>Builds a valid block: computes the Merkle root and the hash.</summary>
    public static Block Create(long height, Hash256 prevHash, long timestampUnixMs, string proposer, IReadOnlyList<Entry> entries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        ChainLimits.ValidateText(proposer, Entry.MaxNodeIdBytes, "proposer node id");
        ArgumentNullException.ThrowIfNull(entries);
        var header = new BlockHeader(
            BlockHeader.CurrentVersion, height, prevHash, timestampUnixMs, proposer, MerkleTree.ComputeRoot(entries), entries.Count);
        return new Block(header, entries, header.ComputeHash(), ReadOnlyMemory<byte>.Empty);
    }

    /// <summary>A copy with the signature slot filled; the hash is unchanged because it does not cover the signature.</summary>
    public Block WithSignature(ReadOnlyMemory<byte> signature) => new(Header, Entries, Hash, signature);

    public override string ToString() => $"block {Height} {Hash} ({Entries.Count} entries by {Header.Proposer})";
}
