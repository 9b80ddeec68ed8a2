namespace ActorChain.Chain;

/// <summary>
/// What verification needs to know about one block, gathered either from a <see cref="Block"/>
/// or straight from its encoded bytes, so both paths apply the same rules in the same order.
/// </summary>
internal struct BlockFacts
{
    public long Height;
    public Hash256 PrevHash;
    public Hash256 ClaimedHash;
    public Hash256 HeaderHash;
    public int DeclaredEntryCount;
    public int EntryCount;
    public Hash256 DeclaredRoot;
    public Hash256 ComputedRoot;
    public int GenesisEntryCount;
    public int DuplicateIdIndex;
    public string? DuplicateId;

    // Set only by EncodedBlockScanner: where the proposer's UTF-8 bytes and the signature lie in the encoded block.
    public Range ProposerRange;
    public Range SignatureRange;

    /// <summary>Assumes the header is writable (version and proposer already checked).</summary>
    public static BlockFacts From(Block block)
    {
        var entries = block.Entries;
        var facts = new BlockFacts
        {
            Height = block.Height,
            PrevHash = block.PrevHash,
            ClaimedHash = block.Hash,
            HeaderHash = block.Header.ComputeHash(),
            DeclaredEntryCount = block.Header.EntryCount,
            EntryCount = entries.Count,
            DeclaredRoot = block.Header.EntriesRoot,
            ComputedRoot = MerkleTree.ComputeRoot(entries),
            DuplicateIdIndex = -1,
        };

        // Indexing, not foreach: enumerating an IReadOnlyList through the interface allocates.
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].Kind == EntryKind.Genesis)
            {
                facts.GenesisEntryCount++;
            }
        }

        var ids = new EntryIds(entries);
        facts.DuplicateIdIndex = DuplicateFinder.IndexOfFirstDuplicate(ref ids);
        if (facts.DuplicateIdIndex >= 0)
        {
            facts.DuplicateId = entries[facts.DuplicateIdIndex].Id;
        }

        return facts;
    }

    private readonly struct EntryIds(IReadOnlyList<Entry> entries) : IKeyList
    {
        public int Count => entries.Count;

        public int GetKeyHash(int index) => entries[index].Id.GetHashCode(StringComparison.Ordinal);

        public bool KeysEqual(int left, int right) => string.Equals(entries[left].Id, entries[right].Id, StringComparison.Ordinal);
    }
}
