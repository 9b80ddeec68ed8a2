using System.Buffers;
using System.Buffers.Binary;
using System.Text.Unicode;

namespace ActorChain.Chain;

/// <summary>
/// Reads the facts verification needs straight from an encoded block: the header is hashed as
/// the slice it is and every Merkle leaf is hashed from the entry's slice, so nothing is decoded
/// into objects or copied. It accepts exactly the bytes <see cref="BlockCodec.DecodeBlock"/>
/// accepts (a property test holds the two together); on refusal the caller asks the decoder why.
/// </summary>
internal static class EncodedBlockScanner
{
    public static bool TryScan(ReadOnlySpan<byte> source, out BlockFacts facts)
    {
        facts = default;
        var position = 0;
        if (!TryRead(source, ref position, 1, out var versionBytes) || versionBytes[0] != BlockHeader.CurrentVersion
            || !TryReadInt64(source, ref position, out var height) || height < 0
            || !TryRead(source, ref position, Hash256.Size, out var prevHash)
            || !TryRead(source, ref position, 8, out _)
            || !TryReadText(source, ref position, shortPrefix: true, Entry.MaxNodeIdBytes, out var proposer)
            || !TryRead(source, ref position, Hash256.Size, out var entriesRoot)
            || !TryReadInt32(source, ref position, out var entryCount) || entryCount < 0 || entryCount > BlockCodec.MaxEntriesPerBlock)
        {
            return false;
        }

        var headerHash = Hash256.Compute(source[..position]);
        var proposerEnd = position - Hash256.Size - 4;
        facts.ProposerRange = (proposerEnd - proposer.Length)..proposerEnd;
        if (!TryRead(source, ref position, Hash256.Size, out var claimedHash)
            || (long)entryCount * BlockCodec.MinEntrySize > source.Length - position)
        {
            return false;
        }

        facts.Height = height;
        facts.PrevHash = new Hash256(prevHash);
        facts.DeclaredRoot = new Hash256(entriesRoot);
        facts.ClaimedHash = new Hash256(claimedHash);
        facts.HeaderHash = headerHash;
        facts.DeclaredEntryCount = entryCount;
        facts.EntryCount = entryCount;
        facts.DuplicateIdIndex = -1;

        var leaves = ArrayPool<Hash256>.Shared.Rent(entryCount);
        var idOffsets = ArrayPool<int>.Shared.Rent(entryCount);
        try
        {
            for (var i = 0; i < entryCount; i++)
            {
                var start = position;
                if (!TryRead(source, ref position, 1, out var kind) || !EntryKinds.IsDefined((EntryKind)kind[0])
                    || !TryReadText(source, ref position, shortPrefix: false, Entry.MaxIdBytes, out _)
                    || !TryReadText(source, ref position, shortPrefix: true, Entry.MaxNodeIdBytes, out _)
                    || !TryRead(source, ref position, 8, out _)
                    || !TryReadInt32(source, ref position, out var payloadLength) || payloadLength < 0 || payloadLength > Entry.MaxPayloadBytes
                    || !TryRead(source, ref position, payloadLength, out _))
                {
                    return false;
                }

                if ((EntryKind)kind[0] == EntryKind.Genesis)
                {
                    facts.GenesisEntryCount++;
                }

                idOffsets[i] = start + 1;
                leaves[i] = MerkleTree.HashLeaf(source[start..position]);
            }

            if (!TryReadUInt16(source, ref position, out var signatureLength) || signatureLength > BlockCodec.MaxSignatureBytes
                || !TryRead(source, ref position, signatureLength, out _)
                || position != source.Length)
            {
                return false;
            }

            facts.SignatureRange = (position - signatureLength)..position;

            facts.ComputedRoot = MerkleTree.ReduceInPlace(leaves.AsSpan(0, entryCount));
            var ids = new EncodedIds(source, idOffsets.AsSpan(0, entryCount));
            facts.DuplicateIdIndex = DuplicateFinder.IndexOfFirstDuplicate(ref ids);
            if (facts.DuplicateIdIndex >= 0)
            {
                facts.DuplicateId = ChainLimits.Utf8.GetString(ids.GetId(facts.DuplicateIdIndex));
            }

            return true;
        }
        finally
        {
            ArrayPool<Hash256>.Shared.Return(leaves);
            ArrayPool<int>.Shared.Return(idOffsets);
        }
    }

    private static bool TryRead(ReadOnlySpan<byte> source, ref int position, int length, out ReadOnlySpan<byte> bytes)
    {
        if (length > source.Length - position)
        {
            bytes = default;
            return false;
        }

        bytes = source.Slice(position, length);
        position += length;
        return true;
    }

    private static bool TryReadUInt16(ReadOnlySpan<byte> source, ref int position, out ushort value)
    {
        var ok = TryRead(source, ref position, 2, out var bytes);
        value = ok ? BinaryPrimitives.ReadUInt16LittleEndian(bytes) : (ushort)0;
        return ok;
    }

    private static bool TryReadInt32(ReadOnlySpan<byte> source, ref int position, out int value)
    {
        var ok = TryRead(source, ref position, 4, out var bytes);
        value = ok ? BinaryPrimitives.ReadInt32LittleEndian(bytes) : 0;
        return ok;
    }

    private static bool TryReadInt64(ReadOnlySpan<byte> source, ref int position, out long value)
    {
        var ok = TryRead(source, ref position, 8, out var bytes);
        value = ok ? BinaryPrimitives.ReadInt64LittleEndian(bytes) : 0;
        return ok;
    }

    private static bool TryReadText(ReadOnlySpan<byte> source, ref int position, bool shortPrefix, int maxBytes, out ReadOnlySpan<byte> text)
    {
        text = default;
        int length;
        if (shortPrefix)
        {
            if (!TryRead(source, ref position, 1, out var prefix))
            {
                return false;
            }

            length = prefix[0];
        }
        else
        {
            if (!TryReadUInt16(source, ref position, out var prefix))
            {
                return false;
            }

            length = prefix;
        }

        return length >= 1 && length <= maxBytes && TryRead(source, ref position, length, out text) && Utf8.IsValid(text);
    }

    /// <summary>Entry ids as byte slices of the encoded block; each offset points at the id's u16 length.</summary>
    private readonly ref struct EncodedIds(ReadOnlySpan<byte> source, ReadOnlySpan<int> offsets) : IKeyList
    {
        private readonly ReadOnlySpan<byte> _source = source;
        private readonly ReadOnlySpan<int> _offsets = offsets;

        public int Count => _offsets.Length;

        public ReadOnlySpan<byte> GetId(int index)
        {
            var offset = _offsets[index];
            return _source.Slice(offset + 2, BinaryPrimitives.ReadUInt16LittleEndian(_source[offset..]));
        }

        public int GetKeyHash(int index)
        {
            var hash = default(HashCode);
            hash.AddBytes(GetId(index));
            return hash.ToHashCode();
        }

        public bool KeysEqual(int left, int right) => GetId(left).SequenceEqual(GetId(right));
    }
}
