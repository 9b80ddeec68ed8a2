using System.Buffers;
using System.Runtime.CompilerServices;
using ActorChain.Chain.Canonical;

namespace ActorChain.Chain;

/// <summary>
/// Merkle root over entries' canonical bytes. Leaves and inner nodes are domain-separated
/// (0x00 / 0x01 prefix) and an odd node is promoted, not duplicated, so two different entry
/// lists never share a root (the duplicate-last-leaf ambiguity of Bitcoin's tree).
/// </summary>
public static class MerkleTree
{
    internal const byte LeafPrefix = 0x00;
    internal const byte NodePrefix = 0x01;

    // prefix + kind + id (u16 length + at most MaxIdBytes) + origin (u8 length + at most MaxNodeIdBytes) + submittedAt + payload length
    private const int MaxLeafFieldsSize = 1 + 1 + 2 + Entry.MaxIdBytes + 1 + Entry.MaxNodeIdBytes + 8 + 4;

    private static ReadOnlySpan<byte> LeafPrefixBytes => [LeafPrefix];

    public static Hash256 ComputeRoot(IReadOnlyList<Entry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return Hash256.Zero;
        }

        var level = ArrayPool<Hash256>.Shared.Rent(entries.Count);
        try
        {
            for (var i = 0; i < entries.Count; i++)
            {
                level[i] = HashLeaf(entries[i]);
            }

            return ReduceInPlace(level.AsSpan(0, entries.Count));
        }
        finally
        {
            ArrayPool<Hash256>.Shared.Return(level);
        }
    }

    /// <summary>SHA-256(0x00 ‖ the entry's canonical bytes); the payload is hashed where it lies, never copied.</summary>
    [SkipLocalsInit]
    internal static Hash256 HashLeaf(Entry entry)
    {
        Span<byte> fields = stackalloc byte[MaxLeafFieldsSize];
        fields[0] = LeafPrefix;
        var writer = new CanonicalWriter(fields[1..]);
        BlockCodec.WriteEntryFields(entry, ref writer);
        return Sha256.Hash(fields[..(1 + writer.Position)], entry.Payload.Span, default);
    }

    /// <summary>The leaf of an entry already in canonical form, e.g. a slice of an encoded block.</summary>
    internal static Hash256 HashLeaf(ReadOnlySpan<byte> encodedEntry) => Sha256.Hash(LeafPrefixBytes, encodedEntry, default);

    /// <summary>Folds leaf hashes into the root, overwriting <paramref name="level"/>.</summary>
    internal static Hash256 ReduceInPlace(Span<Hash256> level)
    {
        if (level.IsEmpty)
        {
            return Hash256.Zero;
        }

        var count = level.Length;
        while (count > 1)
        {
            var next = 0;
            for (var i = 0; i + 1 < count; i += 2)
            {
                level[next++] = Sha256.HashNode(level[i], level[i + 1]);
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
