namespace ActorChain.Chain;

/// <summary>
/// Merkle root over entries' canonical bytes. Leaves and inner nodes are domain-separated
/// (0x00 / 0x01 prefix) and an odd node is promoted, not duplicated, so two different entry
/// lists never share a root (the duplicate-last-leaf ambiguity of Bitcoin's tree).
/// </summary>
public static class MerkleTree
{
    private const byte LeafPrefix = 0x00;
    private const byte NodePrefix = 0x01;

    public static Hash256 ComputeRoot(IReadOnlyList<Entry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return Hash256.Zero;
        }

        var level = new Hash256[entries.Count];
        var buffer = new byte[256];
        for (var i = 0; i < entries.Count; i++)
        {
            var size = 1 + BlockCodec.GetEntrySize(entries[i]);
            if (buffer.Length < size)
            {
                buffer = new byte[Math.Max(size, buffer.Length * 2)];
            }

            buffer[0] = LeafPrefix;
            BlockCodec.WriteEntry(entries[i], buffer.AsSpan(1, size - 1));
            level[i] = Hash256.Compute(buffer.AsSpan(0, size));
        }

        Span<byte> pair = stackalloc byte[1 + (2 * Hash256.Size)];
        pair[0] = NodePrefix;
        var count = level.Length;
        while (count > 1)
        {
            var next = 0;
            for (var i = 0; i + 1 < count; i += 2)
            {
                level[i].WriteTo(pair[1..]);
                level[i + 1].WriteTo(pair[(1 + Hash256.Size)..]);
                level[next++] = Hash256.Compute(pair);
            }

            if ((count & 1) == 1)
            {
                level[next++] = level[count - 1];
            }

            count = next;
        }

        return level[0];
    }
}
