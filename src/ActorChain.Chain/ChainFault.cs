namespace ActorChain.Chain;

/// <summary>What is wrong with the first invalid block of a chain.</summary>
public enum ChainFault
{
    /// <summary>The hash the block claims is not the hash of its header.</summary>
    BadHash,

    /// <summary>The block's previous hash is not the hash of the block before it.</summary>
    BadLink,

    /// <summary>The header's Merkle root is not the root of the block's entries.</summary>
    BadMerkleRoot,

    /// <summary>The header's entry count is not the number of entries the block holds.</summary>
    BadEntryCount,

    /// <summary>The block's height is not one more than the previous block's.</summary>
    HeightGap,

    /// <summary>Block 0 is not a well-formed genesis block (or the chain has no block 0).</summary>
    BadGenesis,

    /// <summary>A well-formed genesis block of another cluster than the one expected.</summary>
    WrongGenesis,

    /// <summary>The bytes are not a block in the canonical layout, or the block cannot be written in it.</summary>
    Malformed,

    /// <summary>A genesis entry in a block other than block 0.</summary>
    MisplacedGenesis,

    /// <summary>Two entries of one block share an id.</summary>
    DuplicateEntryId,

    /// <summary>In a chain with signed blocks: the signature is missing, is not the proposer's, or the proposer is no voter at that height.</summary>
    BadSignature,
}
