using ActorChain.Chain.Ledger;
using ActorChain.Chain.Signing;
using FsCheck;
using FsCheck.Fluent;

namespace ActorChain.Chain.Tests;

/// <summary>
/// A chain with signed blocks: three genesis voters, node-4 added with its key at <see cref="AddHeight"/>
/// and proposing from the height after, every block signed by its proposer.
/// </summary>
internal static class SignedChains
{
    public const long AddHeight = 3;

    public static readonly string[] GenesisVoters = ["node-1", "node-2", "node-3"];

    public static readonly IReadOnlyDictionary<string, BlockSigner> Signers =
        new[] { "node-1", "node-2", "node-3", "node-4", "outsider" }.ToDictionary(n => n, _ => BlockSigner.Generate());

    public static Block Genesis() =>
        GenesisPayload.CreateGenesisBlock(TestChains.ClusterId, GenesisVoters, TestChains.Timestamp, GenesisVoters.ToDictionary(v => v, v => Signers[v].PublicKey));

    public static Entry AddNode4(bool withKey = true) =>
        new("add-node-4", EntryKind.VoterAdd, new VoterAddPayload("node-4", withKey ? Signers["node-4"].PublicKey : null).Encode(), "node-1", TestChains.Timestamp);

    public static string ProposerOf(long height) => height > AddHeight && height % 4 == 0 ? "node-4" : GenesisVoters[height % 3];

    /// <summary>Genesis and <paramref name="blocksAfterGenesis"/> signed blocks (at least <see cref="AddHeight"/>).</summary>
    public static List<Block> Build(int blocksAfterGenesis)
    {
        var chain = new List<Block> { Genesis() };
        for (var h = 1L; h <= blocksAfterGenesis; h++)
        {
            Entry[] entries = h == AddHeight ? [AddNode4()] : [TestChains.Put($"e-{h}"), TestChains.Put($"f-{h}")];
            chain.Add(Sign(Unsigned(chain[^1], entries, ProposerOf(h)), ProposerOf(h)));
        }

        return chain;
    }

    public static Block Unsigned(Block previous, IReadOnlyList<Entry> entries, string proposer) =>
        Block.Create(previous.Height + 1, previous.Hash, TestChains.Timestamp + previous.Height, proposer, entries);

    public static Block Sign(Block block, string signer) => Signers[signer].Sign(block);

    /// <summary>The keys the chain's own ledger derives, as a node passes them to the verifier.</summary>
    public static VoterKeyHistory Keys(IEnumerable<Block> chain)
    {
        var ledger = new LedgerState();
        foreach (var block in chain)
        {
            ledger.Apply(block);
        }

        return ledger.VoterKeys ?? throw new InvalidOperationException("the chain is not signed");
    }
}

public sealed class SignedBlockTests
{
    private static readonly List<Block> Chain = SignedChains.Build(12);
    private static readonly VoterKeyHistory Keys = SignedChains.Keys(Chain);

    [Fact]
    public void SignedChain_WithTheVoterKeys_IsValid_OnBlocksAndOnBytes()
    {
        Assert.True(ChainVerifier.Verify(Chain, TestChains.ClusterId, null, Keys).IsValid);
        var encoded = ChainVerifier.VerifyEncoded(TestChains.Encode(Chain), TestChains.ClusterId, null, Keys);
        Assert.True(encoded.IsValid, encoded.Reason);
        Assert.Equal(12, encoded.Height);
        Assert.All(Chain.Skip(1), b => Assert.Equal(VoterKey.SignatureSize, b.Signature.Length));
    }

    [Fact]
    public void VerifyEncoded_AnyFlippedSignatureByte_IsBadSignatureAtThatHeight()
    {
        var encoded = TestChains.Encode(Chain);
        var cases =
            from height in Gen.Choose(1, Chain.Count - 1)
            from index in Gen.Choose(0, VoterKey.SignatureSize - 1)
            from mask in Gen.Choose(1, 255)
            select (height, index, (byte)mask);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var blocks = encoded.ToList();
            var tampered = blocks[c.height].ToArray();
            tampered[tampered.Length - VoterKey.SignatureSize + c.index] ^= c.Item3;
            blocks[c.height] = tampered;

            var bytes = ChainVerifier.VerifyEncoded(blocks, TestChains.ClusterId, null, Keys);
            var objects = ChainVerifier.Verify(blocks.Select(b => BlockCodec.DecodeBlock(b.Span)), TestChains.ClusterId, null, Keys);

            foreach (var result in new[] { bytes, objects })
            {
                Assert.False(result.IsValid, $"flipped byte {c.index} of block {c.height}'s signature went unnoticed");
                Assert.Equal(ChainFault.BadSignature, result.Fault);
                Assert.Equal(c.height, result.FirstInvalidHeight);
                Assert.Contains($"Block {c.height}'s signature does not verify", result.Reason, StringComparison.Ordinal);
            }
        }));
    }

    [Fact]
    public void UnsignedBlock_InASignedChain_IsBadSignature()
    {
        var chain = Chain.ToList();
        chain[5] = chain[5].WithSignature(ReadOnlyMemory<byte>.Empty);

        var result = ChainVerifier.VerifyEncoded(TestChains.Encode(chain), TestChains.ClusterId, null, Keys);

        Assert.Equal(ChainFault.BadSignature, result.Fault);
        Assert.Equal(5, result.FirstInvalidHeight);
        Assert.Contains("carries no signature", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void BlockOfANonVoter_SignedWithItsOwnKey_IsBadSignature()
    {
        var chain = Chain.Take(2).ToList();
        chain.Add(SignedChains.Sign(SignedChains.Unsigned(chain[^1], [TestChains.Put("x")], "outsider"), "outsider"));

        var result = ChainVerifier.Verify(chain, TestChains.ClusterId, null, Keys);

        Assert.Equal(ChainFault.BadSignature, result.Fault);
        Assert.Equal(2, result.FirstInvalidHeight);
        Assert.Contains("outsider, which is not a voter at height 2", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void BlockNamingOneVoter_SignedWithAnotherKey_IsBadSignature()
    {
        var chain = Chain.Take(2).ToList();
        chain.Add(SignedChains.Sign(SignedChains.Unsigned(chain[^1], [TestChains.Put("x")], "node-2"), "node-3"));

        var result = ChainVerifier.VerifyNext(chain[1], chain[2], Keys);

        Assert.Equal(ChainFault.BadSignature, result.Fault);
        Assert.Contains("public key of its proposer node-2", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AddedVoter_SignsOnlyFromTheHeightAfterItsVoterAdd()
    {
        var atAdd = SignedChains.Sign(SignedChains.Unsigned(Chain[(int)SignedChains.AddHeight - 1], [SignedChains.AddNode4()], "node-4"), "node-4");
        Assert.Equal(ChainFault.BadSignature, ChainVerifier.VerifyNext(Chain[(int)SignedChains.AddHeight - 1], atAdd, Keys).Fault);

        var after = Chain.Skip(1).First(b => b.Height > SignedChains.AddHeight && b.Header.Proposer == "node-4");
        Assert.True(ChainVerifier.VerifyNext(Chain[(int)after.Height - 1], after, Keys).IsValid);
        Assert.False(Keys.TryGetKey(SignedChains.AddHeight, "node-4", out _));
        Assert.True(Keys.TryGetKey(SignedChains.AddHeight + 1, "node-4", out var key));
        Assert.Equal(SignedChains.Signers["node-4"].PublicKey, key);
    }

    [Fact]
    public void RemovedVoter_IsNoSignerFromTheNextHeight()
    {
        var chain = Chain.Take(3).ToList();
        var remove = new Entry("remove-node-1", EntryKind.VoterRemove, new VoterRemovePayload("node-1").Encode(), "node-2", TestChains.Timestamp);
        chain.Add(SignedChains.Sign(SignedChains.Unsigned(chain[^1], [remove], "node-2"), "node-2"));
        var keys = SignedChains.Keys(chain);
        chain.Add(SignedChains.Sign(SignedChains.Unsigned(chain[^1], [TestChains.Put("late")], "node-1"), "node-1"));

        var result = ChainVerifier.Verify(chain, voterKeys: keys);

        Assert.Equal(4, result.FirstInvalidHeight);
        Assert.Equal(ChainFault.BadSignature, result.Fault);
    }

    [Fact]
    public void VoterAdd_WithoutAKey_IsRejectedByTheLedgerOfASignedChain_AndChangesNoVoter()
    {
        var ledger = new LedgerState();
        ledger.Apply(Chain[0]);
        var applied = ledger.Apply(SignedChains.Sign(SignedChains.Unsigned(Chain[0], [SignedChains.AddNode4(withKey: false)], "node-1"), "node-1"));

        Assert.Equal(EntryStatus.Rejected, applied.Outcomes[0].Status);
        Assert.Contains("must carry its public key", applied.Outcomes[0].Reason, StringComparison.Ordinal);
        Assert.False(ledger.IsVoter("node-4"));
        Assert.False(ledger.VoterKeys!.TryGetKey(2, "node-4", out _));
    }

    [Fact]
    public void UnsignedChain_HasNoVoterKeys_AndTakesAKeyedVoterAdd()
    {
        var ledger = new LedgerState();
        var genesis = TestChains.Genesis();
        ledger.Apply(genesis);
        var applied = ledger.Apply(TestChains.Next(genesis, [SignedChains.AddNode4()]));

        Assert.Null(ledger.VoterKeys);
        Assert.Equal(EntryStatus.Applied, applied.Outcomes[0].Status);
        Assert.True(ledger.IsVoter("node-4"));
    }

    [Fact]
    public void SignedGenesisPayload_RoundTrips_AsVersion2_AndAnUnsignedOneStaysVersion1()
    {
        var payload = GenesisPayload.Decode(Chain[0].Entries[0].Payload.Span);

        Assert.Equal(GenesisPayload.SignedVersion, Chain[0].Entries[0].Payload.Span[0]);
        Assert.True(payload.SignedBlocks);
        Assert.Equal(SignedChains.GenesisVoters, payload.Voters);
        Assert.All(SignedChains.GenesisVoters, v => Assert.Equal(SignedChains.Signers[v].PublicKey, payload.VoterKeys![v]));
        Assert.Equal(GenesisPayload.CurrentVersion, TestChains.Genesis().Entries[0].Payload.Span[0]);
        Assert.False(GenesisPayload.Decode(TestChains.Genesis().Entries[0].Payload.Span).SignedBlocks);
    }

    [Fact]
    public void SignedGenesisPayload_WithAPointOffTheCurve_DoesNotDecode()
    {
        var bytes = Chain[0].Entries[0].Payload.ToArray();
        bytes[^1] ^= 0x01;

        var e = Assert.Throws<ChainFormatException>(() => GenesisPayload.Decode(bytes));
        Assert.Contains("P-256", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SignedGenesis_NeedsAKeyForEveryVoter()
    {
        var keys = new Dictionary<string, VoterKey> { ["node-1"] = SignedChains.Signers["node-1"].PublicKey };
        Assert.Throws<ArgumentException>(() => GenesisPayload.CreateGenesisBlock("c", ["node-1", "node-2"], 0, keys));
    }

    [Fact]
    public void VoterAddPayload_WithAKey_RoundTripsAsVersion2_AndWithoutOneStaysVersion1()
    {
        var key = SignedChains.Signers["node-4"].PublicKey;
        var keyed = new VoterAddPayload("node-4", key).Encode();
        var plain = new VoterAddPayload("node-4").Encode();

        Assert.Equal(VoterAddPayload.KeyedVersion, keyed[0]);
        Assert.Equal(1, plain[0]);
        Assert.Equal(key, VoterAddPayload.Decode(keyed).PublicKey);
        Assert.Null(VoterAddPayload.Decode(plain).PublicKey);
        Assert.Throws<ChainFormatException>(() => VoterAddPayload.Decode(keyed[..^1]));
        Assert.Throws<ChainFormatException>(() => VoterAddPayload.Decode([.. keyed, 0]));
        keyed[0] = 3;
        Assert.Contains("version 3", Assert.Throws<ChainFormatException>(() => VoterAddPayload.Decode(keyed)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VoterKey_FromItsSubjectPublicKeyInfo_IsTheSameKey_AndGarbageIsRefused()
    {
        var key = SignedChains.Signers["node-1"].PublicKey;

        Assert.Equal(key, VoterKey.FromBase64SubjectPublicKeyInfo(key.ToBase64SubjectPublicKeyInfo()));
        Assert.Throws<ArgumentException>(() => VoterKey.FromBase64SubjectPublicKeyInfo("not base64!"));
        Assert.False(VoterKey.TryFromPoint(new byte[VoterKey.Size], out _, out _));
    }

    [Fact]
    public void Signer_FromItsPem_SignsWhatItsPublicKeyVerifies()
    {
        var original = SignedChains.Signers["node-2"];
        using var restored = BlockSigner.FromPem(original.ToPem());
        var hash = Chain[1].Hash;

        Assert.Equal(original.PublicKey, restored.PublicKey);
        Assert.True(original.PublicKey.Verify(hash, restored.Sign(hash)));
        Assert.False(original.PublicKey.Verify(Chain[2].Hash, restored.Sign(hash)));
        Assert.Throws<ArgumentException>(() => BlockSigner.FromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"));
    }
}
