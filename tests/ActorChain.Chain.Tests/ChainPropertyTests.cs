using FsCheck;
using FsCheck.Fluent;

namespace ActorChain.Chain.Tests;

public sealed class ChainPropertyTests
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(150);

    [Fact]
    public void EncodeDecode_AnyBlock_GivesIdenticalBytesAndEqualFields()
    {
        Check.One(Quick, Prop.ForAll(ChainGenerators.AnyBlock.ToArbitrary(), block =>
        {
            var bytes = BlockCodec.EncodeBlock(block);
            var decoded = BlockCodec.DecodeBlock(bytes);

            Assert.Equal(bytes, BlockCodec.EncodeBlock(decoded));
            Assert.Equal(block.Header, decoded.Header);
            Assert.Equal(block.Hash, decoded.Hash);
            Assert.Equal(block.Signature.ToArray(), decoded.Signature.ToArray());
            Assert.Equal(block.Entries.Count, decoded.Entries.Count);
            for (var i = 0; i < block.Entries.Count; i++)
            {
                var (expected, actual) = (block.Entries[i], decoded.Entries[i]);
                Assert.Equal((expected.Id, expected.Kind, expected.Origin, expected.SubmittedAtUnixMs), (actual.Id, actual.Kind, actual.Origin, actual.SubmittedAtUnixMs));
                Assert.Equal(expected.Payload.ToArray(), actual.Payload.ToArray());
            }
        }));
    }

    /// <remarks>
    /// The claimed hash covers the header, the header's root covers every entry, and the layout
    /// leaves no byte outside a length, so every byte but the signature's own is covered. The
    /// signature slot is not hashed (a proposer signs the hash); these chains are unsigned, so
    /// the slot is just its 2-byte length 0, and any flip there announces signature bytes that
    /// are not there: the block no longer decodes, which must be caught as Malformed.
    /// </remarks>
    [Fact]
    public void VerifyEncoded_AnyFlippedByteInAnyBlock_IsDetectedAtThatBlocksHeight()
    {
        var cases =
            from chain in ChainGenerators.Chain(6)
            from index in Gen.Choose(0, chain.Count - 1)
            let encoded = TestChains.Encode(chain)
            from position in Gen.Choose(0, encoded[index].Length - 1)
            from mask in Gen.Choose(1, 255)
            select (chain, encoded, index, position, (byte)mask);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(400), Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var tampered = c.encoded[c.index].ToArray();
            tampered[c.position] ^= c.Item5;
            c.encoded[c.index] = tampered;

            var result = ChainVerifier.VerifyEncoded(c.encoded);

            Assert.False(result.IsValid, $"flip at byte {c.position} of block {c.index} went unnoticed");
            Assert.Equal(c.index, result.FirstInvalidHeight);
            Assert.Equal(c.index - 1, result.Height);
            if (c.position >= c.encoded[c.index].Length - 2)
            {
                Assert.Equal(ChainFault.Malformed, result.Fault);
            }
        }));
    }

    [Fact]
    public void Verify_AnyGeneratedChain_IsValidOnBlocksAndOnBytes()
    {
        Check.One(Quick, Prop.ForAll(ChainGenerators.Chain(8).ToArbitrary(), chain =>
        {
            var fromBlocks = ChainVerifier.Verify(chain, expectedGenesisHash: chain[0].Hash);
            var fromBytes = ChainVerifier.VerifyEncoded(TestChains.Encode(chain), expectedGenesisHash: chain[0].Hash);

            Assert.True(fromBlocks.IsValid, fromBlocks.Reason);
            Assert.True(fromBytes.IsValid, fromBytes.Reason);
            Assert.Equal(chain.Count - 1, fromBytes.Height);
            Assert.Equal(chain[^1].Hash, fromBytes.HeadHash);
        }));
    }

    [Fact]
    public void Scanner_AcceptsExactlyWhatTheDecoderAccepts_AndReadsTheSameFacts()
    {
        var cases =
            from block in ChainGenerators.AnyBlock
            let bytes = BlockCodec.EncodeBlock(block)
            from mutation in Gen.Choose(0, 3)
            from position in Gen.Choose(0, bytes.Length - 1)
            from value in Gen.Choose(0, 255)
            select Mutate(bytes, mutation, position, (byte)value);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(400), Prop.ForAll(cases.ToArbitrary(), bytes =>
        {
            var decodes = BlockCodec.TryDecodeBlock(bytes, out var block, out var error);
            var scans = EncodedBlockScanner.TryScan(bytes, out var facts);

            Assert.True(decodes == scans, $"decoder {(decodes ? "accepts" : "refuses: " + error)}, scanner {(scans ? "accepts" : "refuses")}");
            if (decodes)
            {
                var expected = BlockFacts.From(block!);
                Assert.Equal(
                    (expected.Height, expected.PrevHash, expected.ClaimedHash, expected.HeaderHash, expected.DeclaredRoot, expected.ComputedRoot),
                    (facts.Height, facts.PrevHash, facts.ClaimedHash, facts.HeaderHash, facts.DeclaredRoot, facts.ComputedRoot));
                Assert.Equal(
                    (expected.EntryCount, expected.GenesisEntryCount, expected.DuplicateIdIndex, expected.DuplicateId),
                    (facts.EntryCount, facts.GenesisEntryCount, facts.DuplicateIdIndex, facts.DuplicateId));
            }
        }));
    }

    [Fact]
    public void MerkleRoot_ChangesWhenAnyEntryChanges()
    {
        var cases =
            from entries in ChainGenerators.Entries(9).Where(e => e.Length > 0)
            from index in Gen.Choose(0, entries.Length - 1)
            from replacement in ChainGenerators.AnyEntry
            select (entries, index, replacement);

        Check.One(Quick, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            Entry[] changed = [.. c.entries];
            changed[c.index] = c.replacement;
            var same = ChainGenerators.EncodeEntry(c.entries[c.index]).SequenceEqual(ChainGenerators.EncodeEntry(c.replacement));
            return same || MerkleTree.ComputeRoot(c.entries) != MerkleTree.ComputeRoot(changed);
        }));
    }

    [Fact]
    public void MerkleRoot_ChangesWhenEntriesAreReordered()
    {
        var cases =
            from entries in ChainGenerators.Entries(9).Where(e => e.Length > 1)
            from i in Gen.Choose(0, entries.Length - 1)
            from j in Gen.Choose(0, entries.Length - 1).Where(j => j != i)
            select (entries, i, j);

        Check.One(Quick, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            Entry[] swapped = [.. c.entries];
            (swapped[c.i], swapped[c.j]) = (swapped[c.j], swapped[c.i]);
            return MerkleTree.ComputeRoot(c.entries) != MerkleTree.ComputeRoot(swapped);
        }));
    }

    [Fact]
    public void MerkleRoot_OfDifferentEntryLists_Differ()
    {
        var lists = ChainGenerators.AnyEntry.ListOf().Select(l => l.Take(7).ToArray());

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(lists.ToArbitrary(), lists.ToArbitrary(), (left, right) =>
        {
            var sameList = left.Length == right.Length
                && left.Zip(right).All(p => ChainGenerators.EncodeEntry(p.First).SequenceEqual(ChainGenerators.EncodeEntry(p.Second)));
            return sameList == (MerkleTree.ComputeRoot(left) == MerkleTree.ComputeRoot(right));
        }));
    }

    [Fact]
    public void MerkleRoot_OfAPrefixOrExtension_Differs()
    {
        // Lists sharing a prefix are the ones a careless tree confuses (odd-leaf duplication, missing domain separation).
        var cases =
            from entries in ChainGenerators.Entries(12).Where(e => e.Length > 0)
            from cut in Gen.Choose(0, entries.Length - 1)
            select (entries, cut);

        Check.One(Quick, Prop.ForAll(cases.ToArbitrary(), c =>
            MerkleTree.ComputeRoot(c.entries) != MerkleTree.ComputeRoot(c.entries[..c.cut])));
    }

    private static byte[] Mutate(byte[] bytes, int mutation, int position, byte value) => mutation switch
    {
        0 => [.. bytes[..position], (byte)(bytes[position] ^ Math.Max((byte)1, value)), .. bytes[(position + 1)..]],
        1 => bytes[..position],
        2 => [.. bytes[..position], value, .. bytes[position..]],
        _ => [.. bytes[..position], .. bytes[(position + 1)..]],
    };
}
