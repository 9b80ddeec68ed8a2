using ActorChain.Chain.Signing;

namespace ActorChain.Chain;

/// <summary>
/// Checks blocks in height order: every claimed hash against the header, every link, every
/// Merkle root and entry count, contiguous heights, a well-formed genesis (and, when given, the
/// expected one), a genesis entry nowhere but block 0 and no entry id twice in one block; given the
/// voters' keys of a chain with signed blocks, every block's signature after block 0 too.
/// Pure functions: they read blocks and return a result, they never throw for bad data.
/// </summary>
/// <remarks>
/// Per block the rules apply in this order, so a block breaking several reports the first:
/// malformed, height, hash, link, entry count, Merkle root, misplaced genesis, duplicate id,
/// then for block 0 the genesis content and the expected genesis, and last the signature.
/// Without <see cref="VoterKeyHistory"/> signatures are not checked: the caller that knows a chain
/// is signed (its ledger's <see cref="Ledger.LedgerState.VoterKeys"/>) passes the keys.
/// </remarks>
public static class ChainVerifier
{
    /// <summary>Verifies a whole chain from block 0.</summary>
    /// <param name="blocks">Block 0 first, then every block in height order.</param>
    /// <param name="expectedClusterId">When given, block 0 must be this cluster's genesis.</param>
    /// <param name="expectedGenesisHash">When given, block 0 must have this hash.</param>
    /// <param name="voterKeys">When given, every block after 0 must carry its proposer's signature, and its proposer must be a voter there.</param>
    public static ChainVerificationResult Verify(
        IEnumerable<Block> blocks, string? expectedClusterId = null, Hash256? expectedGenesisHash = null, VoterKeyHistory? voterKeys = null)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        using var enumerator = blocks.GetEnumerator();
        if (!enumerator.MoveNext())
        {
            return MissingGenesis();
        }

        var genesis = enumerator.Current;
        if (CheckGenesis(genesis, expectedClusterId, expectedGenesisHash) is { } failure)
        {
            return ChainVerificationResult.Invalid(-1, Hash256.Zero, failure.Fault, failure.Reason);
        }

        return VerifyRest(0, genesis.Hash, enumerator, voterKeys);
    }

    /// <summary>Verifies blocks that continue a block already trusted (a snapshot's head, the local head during catch-up).</summary>
    public static ChainVerificationResult VerifyFrom(long previousHeight, Hash256 previousHash, IEnumerable<Block> blocks, VoterKeyHistory? voterKeys = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(previousHeight);
        ArgumentNullException.ThrowIfNull(blocks);
        using var enumerator = blocks.GetEnumerator();
        return VerifyRest(previousHeight, previousHash, enumerator, voterKeys);
    }

    /// <summary>Checks that <paramref name="next"/> validly follows <paramref name="previous"/>, which is trusted as it is.</summary>
    public static ChainVerificationResult VerifyNext(Block previous, Block next, VoterKeyHistory? voterKeys = null)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(next);
        var failure = CheckLinked(next, previous.Height + 1, previous.Hash, voterKeys);
        return failure is { } f
            ? ChainVerificationResult.Invalid(previous.Height, previous.Hash, f.Fault, f.Reason)
            : ChainVerificationResult.Valid(next.Height, next.Hash);
    }

    /// <summary>Checks a block as block 0 of a chain.</summary>
    public static ChainVerificationResult VerifyGenesis(
        Block genesis, string? expectedClusterId = null, Hash256? expectedGenesisHash = null)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        return CheckGenesis(genesis, expectedClusterId, expectedGenesisHash) is { } failure
            ? ChainVerificationResult.Invalid(-1, Hash256.Zero, failure.Fault, failure.Reason)
            : ChainVerificationResult.Valid(0, genesis.Hash);
    }

    /// <summary>
    /// Verifies a whole chain from its encoded blocks (<see cref="BlockCodec.EncodeBlock"/>), one
    /// element per block, block 0 first. Bytes that do not decode are <see cref="ChainFault.Malformed"/>
    /// at the height of their position. Blocks after 0 are checked on their bytes without decoding
    /// them into objects, which is the fast path for a journal or a catch-up batch.
    /// </summary>
    public static ChainVerificationResult VerifyEncoded(
        IEnumerable<ReadOnlyMemory<byte>> blocks, string? expectedClusterId = null, Hash256? expectedGenesisHash = null, VoterKeyHistory? voterKeys = null)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        using var enumerator = blocks.GetEnumerator();
        if (!enumerator.MoveNext())
        {
            return MissingGenesis();
        }

        if (!BlockCodec.TryDecodeBlock(enumerator.Current.Span, out var genesis, out var error))
        {
            return ChainVerificationResult.Invalid(-1, Hash256.Zero, ChainFault.Malformed, MalformedReason(0, error));
        }

        if (CheckGenesis(genesis!, expectedClusterId, expectedGenesisHash) is { } failure)
        {
            return ChainVerificationResult.Invalid(-1, Hash256.Zero, failure.Fault, failure.Reason);
        }

        return VerifyEncodedRest(0, genesis!.Hash, enumerator, voterKeys);
    }

    /// <summary>Like <see cref="VerifyEncoded"/> for encoded blocks that continue a trusted block.</summary>
    public static ChainVerificationResult VerifyEncodedFrom(
        long previousHeight, Hash256 previousHash, IEnumerable<ReadOnlyMemory<byte>> blocks, VoterKeyHistory? voterKeys = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(previousHeight);
        ArgumentNullException.ThrowIfNull(blocks);
        using var enumerator = blocks.GetEnumerator();
        return VerifyEncodedRest(previousHeight, previousHash, enumerator, voterKeys);
    }

    private static ChainVerificationResult VerifyRest(long height, Hash256 hash, IEnumerator<Block> enumerator, VoterKeyHistory? voterKeys)
    {
        while (enumerator.MoveNext())
        {
            var block = enumerator.Current;
            if (CheckLinked(block, height + 1, hash, voterKeys) is { } failure)
            {
                return ChainVerificationResult.Invalid(height, hash, failure.Fault, failure.Reason);
            }

            height++;
            hash = block.Hash;
        }

        return ChainVerificationResult.Valid(height, hash);
    }

    private static ChainVerificationResult VerifyEncodedRest(long height, Hash256 hash, IEnumerator<ReadOnlyMemory<byte>> enumerator, VoterKeyHistory? voterKeys)
    {
        while (enumerator.MoveNext())
        {
            var bytes = enumerator.Current.Span;
            if (!EncodedBlockScanner.TryScan(bytes, out var facts))
            {
                return ChainVerificationResult.Invalid(height, hash, ChainFault.Malformed, MalformedReason(height + 1, DecodeError(bytes)));
            }

            if ((CheckLinked(facts, height + 1, hash) ?? CheckSignature(facts, bytes, voterKeys)) is { } failure)
            {
                return ChainVerificationResult.Invalid(height, hash, failure.Fault, failure.Reason);
            }

            height++;
            hash = facts.ClaimedHash;
        }

        return ChainVerificationResult.Valid(height, hash);
    }

    private static Failure? CheckLinked(Block block, long height, Hash256 previousHash, VoterKeyHistory? voterKeys) =>
        CheckWritable(block, height)
        ?? CheckLinked(BlockFacts.From(block), height, previousHash)
        ?? (voterKeys is null ? null : CheckSignature(block.Height, block.Header.Proposer, block.Hash, block.Signature.Span, voterKeys));

    private static Failure? CheckSignature(in BlockFacts facts, ReadOnlySpan<byte> bytes, VoterKeyHistory? voterKeys) =>
        voterKeys is null
            ? null
            : CheckSignature(facts.Height, ChainLimits.Utf8.GetString(bytes[facts.ProposerRange]), facts.ClaimedHash, bytes[facts.SignatureRange], voterKeys);

    // Runs after the hash check, so the claimed hash is the header's: the signature covers the header through it.
    private static Failure? CheckSignature(long height, string proposer, Hash256 hash, ReadOnlySpan<byte> signature, VoterKeyHistory voterKeys)
    {
        if (signature.IsEmpty)
        {
            return new(ChainFault.BadSignature, $"Block {height} carries no signature, but this chain's blocks are signed.");
        }

        if (!voterKeys.TryGetKey(height, proposer, out var key))
        {
            return new(ChainFault.BadSignature, $"Block {height} was proposed by {proposer}, which is not a voter at height {height}: only a voter's signature counts.");
        }

        return key.Verify(hash, signature)
            ? null
            : new(ChainFault.BadSignature, $"Block {height}'s signature does not verify with the public key of its proposer {proposer}.");
    }

    private static Failure? CheckLinked(in BlockFacts facts, long height, Hash256 previousHash)
    {
        if (facts.Height != height)
        {
            return new(ChainFault.HeightGap, $"Block {height} is not next: the block after block {height - 1} claims height {facts.Height}.");
        }

        if (facts.ClaimedHash != facts.HeaderHash)
        {
            return BadHash(facts);
        }

        if (facts.PrevHash != previousHash)
        {
            return new(ChainFault.BadLink, $"Block {height} links to previous hash {facts.PrevHash} but block {height - 1} has hash {previousHash}.");
        }

        return CheckEntries(facts) ?? (facts.GenesisEntryCount > 0
            ? new(ChainFault.MisplacedGenesis, $"Block {height} holds a genesis entry; only block 0 may.")
            : CheckDuplicates(facts));
    }

    private static Failure? CheckGenesis(Block block, string? expectedClusterId, Hash256? expectedGenesisHash)
    {
        if (CheckWritable(block, 0) is { } malformed)
        {
            return malformed;
        }

        if (block.Height != 0)
        {
            return new(ChainFault.BadGenesis, $"Block 0 is missing: the first block has height {block.Height}, but a chain starts with the genesis block at height 0.");
        }

        var facts = BlockFacts.From(block);
        if (facts.ClaimedHash != facts.HeaderHash)
        {
            return BadHash(facts);
        }

        if (!facts.PrevHash.IsZero)
        {
            return new(ChainFault.BadGenesis, $"Block 0 has previous hash {facts.PrevHash}; the genesis block's previous hash is all zeros.");
        }

        if ((CheckEntries(facts) ?? CheckDuplicates(facts)) is { } failure)
        {
            return failure;
        }

        if (block.Entries.Count != 1 || block.Entries[0].Kind != EntryKind.Genesis)
        {
            return new(
                ChainFault.BadGenesis,
                $"Block 0 holds {block.Entries.Count} entries, {facts.GenesisEntryCount} of them genesis entries; the genesis block holds exactly one genesis entry.");
        }

        var entry = block.Entries[0];
        if (entry.Id != GenesisPayload.EntryId)
        {
            return new(ChainFault.BadGenesis, $"Block 0's genesis entry has id '{entry.Id}'; it must be '{GenesisPayload.EntryId}'.");
        }

        GenesisPayload payload;
        try
        {
            payload = GenesisPayload.Decode(entry.Payload.Span);
        }
        catch (ChainFormatException e)
        {
            return new(ChainFault.BadGenesis, $"Block 0's genesis payload is malformed: {e.Message}.");
        }

        if (expectedGenesisHash is { } expectedHash && block.Hash != expectedHash)
        {
            return new(ChainFault.WrongGenesis, $"Block 0 has hash {block.Hash}, not the expected genesis {expectedHash}: it belongs to another chain.");
        }

        if (expectedClusterId is not null && !string.Equals(payload.ClusterId, expectedClusterId, StringComparison.Ordinal))
        {
            return new(ChainFault.WrongGenesis, $"Block 0 is the genesis of cluster '{payload.ClusterId}', not of the expected cluster '{expectedClusterId}'.");
        }

        return null;
    }

    // A block whose header cannot be written in the canonical layout has no hash to check.
    private static Failure? CheckWritable(Block block, long height)
    {
        if (block.Header.Version != BlockHeader.CurrentVersion)
        {
            return new(ChainFault.Malformed, $"Block {height} has layout version {block.Header.Version}; this node verifies version {BlockHeader.CurrentVersion}.");
        }

        try
        {
            ChainLimits.ValidateText(block.Header.Proposer, Entry.MaxNodeIdBytes, "proposer node id");
        }
        catch (ArgumentException e)
        {
            return new(ChainFault.Malformed, MalformedReason(height, e.Message));
        }

        return null;
    }

    private static Failure? CheckEntries(in BlockFacts facts)
    {
        if (facts.DeclaredEntryCount != facts.EntryCount)
        {
            return new(ChainFault.BadEntryCount, $"Block {facts.Height} declares {facts.DeclaredEntryCount} entries but holds {facts.EntryCount}.");
        }

        if (facts.DeclaredRoot != facts.ComputedRoot)
        {
            return new(ChainFault.BadMerkleRoot, $"Block {facts.Height} declares entries root {facts.DeclaredRoot} but its entries hash to {facts.ComputedRoot}.");
        }

        return null;
    }

    private static Failure? CheckDuplicates(in BlockFacts facts) =>
        facts.DuplicateIdIndex < 0
            ? null
            : new(ChainFault.DuplicateEntryId, $"Block {facts.Height} holds entry id '{facts.DuplicateId}' twice (again at index {facts.DuplicateIdIndex}).");

    private static Failure BadHash(in BlockFacts facts) =>
        new(ChainFault.BadHash, $"Block {facts.Height} claims hash {facts.ClaimedHash} but its header hashes to {facts.HeaderHash}.");

    private static ChainVerificationResult MissingGenesis() =>
        ChainVerificationResult.Invalid(-1, Hash256.Zero, ChainFault.BadGenesis, "The chain is empty: block 0, the genesis block, is missing.");

    private static string MalformedReason(long height, string? detail) => $"Block {height} is malformed: {detail?.TrimEnd('.')}.";

    private static string DecodeError(ReadOnlySpan<byte> bytes) =>
        BlockCodec.TryDecodeBlock(bytes, out _, out var error)
            ? "the block decodes but fails the verifier's structural scan"
            : error!;

    private readonly record struct Failure(ChainFault Fault, string Reason);
}
