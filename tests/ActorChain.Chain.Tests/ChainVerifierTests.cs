namespace ActorChain.Chain.Tests;

public sealed class ChainVerifierTests
{
    /// <summary>Each way of breaking a 6-block chain, the fault it must raise and at which height.</summary>
    private static readonly Dictionary<string, (Func<List<Block>> Make, ChainFault Fault, long Height, bool Encodable)> Scenarios = new()
    {
        ["edited timestamp"] = (() => Replace(3, b => TestChains.WithHeader(b, b.Header with { TimestampUnixMs = 42 })), ChainFault.BadHash, 3, true),
        ["edited proposer"] = (() => Replace(2, b => TestChains.WithHeader(b, b.Header with { Proposer = "mallory" })), ChainFault.BadHash, 2, true),
        ["forged claimed hash"] = (() => Replace(4, b => new Block(b.Header, b.Entries, Hash256.Compute([1, 2, 3]), b.Signature)), ChainFault.BadHash, 4, true),
        ["rehashed edit breaks the next link"] = (() => Replace(3, b => TestChains.Rehashed(b, b.Header with { TimestampUnixMs = 42 })), ChainFault.BadLink, 4, true),
        ["wrong previous hash"] = (() => Replace(5, b => TestChains.Rehashed(b, b.Header with { PrevHash = Hash256.Compute([9]) })), ChainFault.BadLink, 5, true),
        ["entry replaced"] = (() => Replace(2, b => new Block(b.Header, [TestChains.Put("e-2-0"), b.Entries[1], TestChains.Put("other")], b.Hash, b.Signature)), ChainFault.BadMerkleRoot, 2, true),
        ["entries reordered"] = (() => Replace(1, b => new Block(b.Header, [.. b.Entries.Reverse()], b.Hash, b.Signature)), ChainFault.BadMerkleRoot, 1, true),
        ["declared count is not the entries'"] = (() => Replace(3, b => TestChains.Forge(3, b.PrevHash, b.Entries, declaredCount: 2)), ChainFault.BadEntryCount, 3, false),
        ["missing block"] = (() => Without(3), ChainFault.HeightGap, 3, true),
        ["repeated block"] = (() => Insert(3, c => c[2]), ChainFault.HeightGap, 3, true),
        ["genesis entry after block 0"] = (() => Replace(2, b => TestChains.Forge(2, b.PrevHash, [.. b.Entries, TestChains.Genesis().Entries[0]])), ChainFault.MisplacedGenesis, 2, true),
        ["one id twice in a block"] = (() => Replace(4, b => TestChains.Forge(4, b.PrevHash, [TestChains.Put("dup"), TestChains.Put("x"), TestChains.Put("dup", payloadBytes: 3)])), ChainFault.DuplicateEntryId, 4, true),
        ["unsupported layout version"] = (() => Replace(2, b => TestChains.WithHeader(b, b.Header with { Version = 2 })), ChainFault.Malformed, 2, false),
        ["empty proposer"] = (() => Replace(1, b => TestChains.WithHeader(b, b.Header with { Proposer = string.Empty })), ChainFault.Malformed, 1, false),
        ["genesis edited"] = (() => Replace(0, b => TestChains.WithHeader(b, b.Header with { TimestampUnixMs = 1 })), ChainFault.BadHash, 0, true),
        ["genesis not at height 0"] = (() => Replace(0, b => TestChains.Rehashed(b, b.Header with { Height = 1 })), ChainFault.BadGenesis, 0, true),
        ["genesis with a previous hash"] = (() => Replace(0, b => TestChains.Forge(0, Hash256.Compute([1]), b.Entries)), ChainFault.BadGenesis, 0, true),
        ["genesis without entries"] = (() => Replace(0, _ => TestChains.Forge(0, Hash256.Zero, [])), ChainFault.BadGenesis, 0, true),
        ["genesis with an extra entry"] = (() => Replace(0, b => TestChains.Forge(0, Hash256.Zero, [b.Entries[0], TestChains.Put("x")])), ChainFault.BadGenesis, 0, true),
        ["genesis without a genesis entry"] = (() => Replace(0, _ => TestChains.Forge(0, Hash256.Zero, [TestChains.Put("genesis")])), ChainFault.BadGenesis, 0, true),
        ["genesis entry with another id"] = (() => Replace(0, b => TestChains.Forge(0, Hash256.Zero, [new Entry("start", EntryKind.Genesis, b.Entries[0].Payload.Span, "node-1", 1)])), ChainFault.BadGenesis, 0, true),
        ["genesis payload malformed"] = (() => Replace(0, _ => TestChains.Forge(0, Hash256.Zero, [new Entry("genesis", EntryKind.Genesis, [1, 0], "node-1", 1)])), ChainFault.BadGenesis, 0, true),
    };

    public static TheoryData<string> ScenarioNames => [.. Scenarios.Keys];

    public static TheoryData<string> EncodableScenarioNames => [.. Scenarios.Where(s => s.Value.Encodable).Select(s => s.Key)];

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public void Verify_BrokenChain_ReportsFaultAtFirstBadHeight(string scenario)
    {
        var (make, fault, height, _) = Scenarios[scenario];
        var chain = make();

        var result = ChainVerifier.Verify(chain);

        AssertInvalid(result, fault, height, height == 0 ? Hash256.Zero : chain[(int)height - 1].Hash);
    }

    [Theory]
    [MemberData(nameof(EncodableScenarioNames))]
    public void VerifyEncoded_BrokenChain_ReportsSameFaultAsVerify(string scenario)
    {
        var (make, fault, height, _) = Scenarios[scenario];
        var chain = make();

        var result = ChainVerifier.VerifyEncoded(TestChains.Encode(chain));

        AssertInvalid(result, fault, height, height == 0 ? Hash256.Zero : chain[(int)height - 1].Hash);
    }

    [Fact]
    public void Verify_ValidChain_IsValidUpToItsHead()
    {
        var chain = TestChains.Build(5);

        var result = ChainVerifier.Verify(chain);

        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(5, result.Height);
        Assert.Equal(chain[^1].Hash, result.HeadHash);
        Assert.Null(result.FirstInvalidHeight);
        Assert.Null(result.Fault);
        Assert.Null(result.Reason);
    }

    [Fact]
    public void VerifyEncoded_ValidChain_IsValidUpToItsHead()
    {
        var chain = TestChains.Build(5);

        var result = ChainVerifier.VerifyEncoded(TestChains.Encode(chain), TestChains.ClusterId, chain[0].Hash);

        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(5, result.Height);
        Assert.Equal(chain[^1].Hash, result.HeadHash);
    }

    [Fact]
    public void Verify_GenesisOnly_IsValidAtHeightZero()
    {
        var genesis = TestChains.Genesis();

        var result = ChainVerifier.Verify([genesis]);

        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(0, result.Height);
        Assert.Equal(genesis.Hash, result.HeadHash);
    }

    [Fact]
    public void Verify_EmptyChain_IsBadGenesisAtZero()
    {
        AssertInvalid(ChainVerifier.Verify([]), ChainFault.BadGenesis, 0, Hash256.Zero);
        AssertInvalid(ChainVerifier.VerifyEncoded([]), ChainFault.BadGenesis, 0, Hash256.Zero);
    }

    [Fact]
    public void Verify_SignedBlocks_AreValidBecauseTheHashDoesNotCoverTheSignature()
    {
        var chain = TestChains.Build(2);
        chain[1] = chain[1].WithSignature(new byte[] { 1, 2, 3 });

        Assert.True(ChainVerifier.Verify(chain).IsValid);
        Assert.True(ChainVerifier.VerifyEncoded(TestChains.Encode(chain)).IsValid);
    }

    [Fact]
    public void Verify_SameIdInTwoBlocks_IsValid()
    {
        // Within a block a repeated id is a fault; across blocks it is the ledger's idempotency rule to skip it.
        var chain = TestChains.Build(1);
        chain.Add(TestChains.Next(chain[^1], [TestChains.Put("e-1-0")]));

        Assert.True(ChainVerifier.Verify(chain).IsValid);
        Assert.True(ChainVerifier.VerifyEncoded(TestChains.Encode(chain)).IsValid);
    }

    [Fact]
    public void Verify_BlocksWithoutEntries_AreValid()
    {
        var chain = TestChains.Build(3, entriesPerBlock: 0);

        Assert.True(ChainVerifier.Verify(chain).IsValid);
        Assert.True(ChainVerifier.VerifyEncoded(TestChains.Encode(chain)).IsValid);
    }

    [Fact]
    public void Verify_ExpectedClusterAndGenesisHash_Match_IsValid()
    {
        var chain = TestChains.Build(2);

        var result = ChainVerifier.Verify(chain, TestChains.ClusterId, chain[0].Hash);

        Assert.True(result.IsValid, result.Reason);
    }

    [Fact]
    public void Verify_OtherClustersGenesis_IsWrongGenesis()
    {
        var chain = TestChains.Build(2);

        var byCluster = ChainVerifier.Verify(chain, expectedClusterId: "other-cluster");
        var byHash = ChainVerifier.VerifyEncoded(TestChains.Encode(chain), expectedGenesisHash: TestChains.Genesis("other-cluster").Hash);

        AssertInvalid(byCluster, ChainFault.WrongGenesis, 0, Hash256.Zero);
        Assert.Contains("other-cluster", byCluster.Reason);
        AssertInvalid(byHash, ChainFault.WrongGenesis, 0, Hash256.Zero);
    }

    [Fact]
    public void VerifyGenesis_CreatedGenesis_IsValid()
    {
        var genesis = TestChains.Genesis();

        Assert.True(ChainVerifier.VerifyGenesis(genesis, TestChains.ClusterId, genesis.Hash).IsValid);
        Assert.Equal(ChainFault.WrongGenesis, ChainVerifier.VerifyGenesis(genesis, "x").Fault);
    }

    [Fact]
    public void VerifyNext_Successor_IsValidAtItsHeight()
    {
        var chain = TestChains.Build(2);

        var result = ChainVerifier.VerifyNext(chain[1], chain[2]);

        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(2, result.Height);
        Assert.Equal(chain[2].Hash, result.HeadHash);
    }

    [Fact]
    public void VerifyNext_BlockOfAnotherHeight_IsHeightGap()
    {
        var chain = TestChains.Build(3);

        AssertInvalid(ChainVerifier.VerifyNext(chain[1], chain[3]), ChainFault.HeightGap, 2, chain[1].Hash);
    }

    [Fact]
    public void VerifyNext_BlockOnAnotherParent_IsBadLink()
    {
        var chain = TestChains.Build(2);
        var fork = TestChains.Next(TestChains.Rehashed(chain[1], chain[1].Header with { TimestampUnixMs = 7 }), [TestChains.Put("f")]);

        AssertInvalid(ChainVerifier.VerifyNext(chain[1], fork), ChainFault.BadLink, 2, chain[1].Hash);
    }

    [Fact]
    public void VerifyNext_GenesisEntryInSuccessor_IsMisplacedGenesis()
    {
        var genesis = TestChains.Genesis();
        var next = TestChains.Next(genesis, [TestChains.Genesis("second").Entries[0]]);

        AssertInvalid(ChainVerifier.VerifyNext(genesis, next), ChainFault.MisplacedGenesis, 1, genesis.Hash);
    }

    [Fact]
    public void VerifyFrom_SegmentAfterTrustedBlock_IsValid()
    {
        var chain = TestChains.Build(6);

        var result = ChainVerifier.VerifyFrom(3, chain[3].Hash, chain.Skip(4));
        var encoded = ChainVerifier.VerifyEncodedFrom(3, chain[3].Hash, TestChains.Encode(chain.Skip(4)));

        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(6, result.Height);
        Assert.True(encoded.IsValid, encoded.Reason);
        Assert.Equal(chain[6].Hash, encoded.HeadHash);
    }

    [Fact]
    public void VerifyFrom_EmptySegment_IsValidAtTheTrustedBlock()
    {
        var result = ChainVerifier.VerifyFrom(7, Hash256.Compute([7]), []);

        Assert.True(result.IsValid);
        Assert.Equal(7, result.Height);
        Assert.Equal(Hash256.Compute([7]), result.HeadHash);
    }

    [Fact]
    public void VerifyFrom_SegmentOnAnotherBlock_IsBadLinkAtItsFirstHeight()
    {
        var chain = TestChains.Build(6);

        var result = ChainVerifier.VerifyEncodedFrom(3, chain[2].Hash, TestChains.Encode(chain.Skip(4)));

        AssertInvalid(result, ChainFault.BadLink, 4, chain[2].Hash);
    }

    [Fact]
    public void VerifyEncoded_TruncatedBlock_IsMalformedAtItsHeight()
    {
        var encoded = TestChains.Encode(TestChains.Build(4));
        encoded[2] = encoded[2][..^10];

        var result = ChainVerifier.VerifyEncoded(encoded);

        AssertInvalid(result, ChainFault.Malformed, 2, TestChains.Build(4)[1].Hash);
    }

    [Fact]
    public void VerifyEncoded_GarbageGenesis_IsMalformedAtZero()
    {
        var encoded = TestChains.Encode(TestChains.Build(1));
        encoded[0] = new byte[] { 1, 2, 3 };

        AssertInvalid(ChainVerifier.VerifyEncoded(encoded), ChainFault.Malformed, 0, Hash256.Zero);
    }

    [Fact]
    public void VerifyEncoded_TrailingByte_IsMalformedAtItsHeight()
    {
        var chain = TestChains.Build(3);
        var encoded = TestChains.Encode(chain);
        encoded[3] = (byte[])[.. encoded[3].Span, 0];

        var result = ChainVerifier.VerifyEncoded(encoded);

        AssertInvalid(result, ChainFault.Malformed, 3, chain[2].Hash);
        Assert.Contains("follow", result.Reason);
    }

    [Fact]
    public void VerifyEncoded_AnyBitOfAnEmptySignaturesLength_IsMalformed()
    {
        // The hash does not cover the signature slot, so only the layout can catch a change there.
        var chain = TestChains.Build(2);
        for (var bit = 0; bit < 16; bit++)
        {
            var encoded = TestChains.Encode(chain);
            var bytes = encoded[2].ToArray();
            bytes[bytes.Length - 2 + (bit / 8)] ^= (byte)(1 << (bit % 8));
            encoded[2] = bytes;

            AssertInvalid(ChainVerifier.VerifyEncoded(encoded), ChainFault.Malformed, 2, chain[1].Hash);
        }
    }

    [Fact]
    public void VerifyEncoded_StopsAtFirstFault_WithoutReadingFurther()
    {
        var chain = TestChains.Build(3);
        var encoded = TestChains.Encode(chain);
        encoded[1] = new byte[] { 0 };

        var result = ChainVerifier.VerifyEncoded(Throwing(encoded.Take(2)));

        AssertInvalid(result, ChainFault.Malformed, 1, chain[0].Hash);
    }

    [Fact]
    public void VerifyEncoded_AllocatesNothingPerBlockOrEntry()
    {
        var chain = TestChains.Build(8, entriesPerBlock: 50);
        var one = TestChains.Encode(chain.Skip(1).Take(1)).ToArray();
        var eight = TestChains.Encode(chain.Skip(1)).ToArray();

        var forOne = Allocated(() => ChainVerifier.VerifyEncodedFrom(0, chain[0].Hash, one));
        var forEight = Allocated(() => ChainVerifier.VerifyEncodedFrom(0, chain[0].Hash, eight));

        Assert.Equal(forOne, forEight);
    }

    [Fact]
    public void Verify_AllocatesNothingPerBlockOrEntry()
    {
        var chain = TestChains.Build(8, entriesPerBlock: 50);
        var one = chain.Skip(1).Take(1).ToArray();
        var eight = chain.Skip(1).ToArray();

        var forOne = Allocated(() => ChainVerifier.VerifyFrom(0, chain[0].Hash, one));
        var forEight = Allocated(() => ChainVerifier.VerifyFrom(0, chain[0].Hash, eight));

        Assert.Equal(forOne, forEight);
    }

    private static long Allocated(Func<ChainVerificationResult> verify)
    {
        Assert.True(verify().IsValid);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = verify();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(result.IsValid, result.Reason);
        return allocated;
    }

    private static IEnumerable<ReadOnlyMemory<byte>> Throwing(IEnumerable<ReadOnlyMemory<byte>> first)
    {
        foreach (var item in first)
        {
            yield return item;
        }

        throw new InvalidOperationException("The verifier read past the first invalid block.");
    }

    private static void AssertInvalid(ChainVerificationResult result, ChainFault fault, long height, Hash256 lastValidHash)
    {
        Assert.False(result.IsValid, $"expected {fault} at {height}, got valid to {result.Height}");
        Assert.Equal(fault, result.Fault);
        Assert.Equal(height, result.FirstInvalidHeight);
        Assert.Equal(height - 1, result.Height);
        Assert.Equal(lastValidHash, result.HeadHash);
        Assert.NotNull(result.Reason);
        Assert.Contains($"lock {height}", result.Reason, StringComparison.Ordinal);
        Assert.Equal(result.Reason, result.ToString());
    }

    private static List<Block> Replace(int height, Func<Block, Block> change)
    {
        var chain = TestChains.Build(5);
        chain[height] = change(chain[height]);
        return chain;
    }

    private static List<Block> Without(int height)
    {
        var chain = TestChains.Build(5);
        chain.RemoveAt(height);
        return chain;
    }

    private static List<Block> Insert(int index, Func<List<Block>, Block> block)
    {
        var chain = TestChains.Build(5);
        chain.Insert(index, block(chain));
        return chain;
    }
}
