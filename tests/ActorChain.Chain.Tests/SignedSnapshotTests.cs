using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using ActorChain.Chain.Ledger;

namespace ActorChain.Chain.Tests;

public sealed class SignedSnapshotTests
{
    private static readonly List<Block> Chain = SignedChains.Build(12);

    [Fact]
    public void Snapshot_OfASignedChain_KeepsTheKeyHistory_SoLaterBlocksVerifyAndApplyLikeTheOriginal()
    {
        // Height 6 is after node-4's voter.add (height 3), so the snapshot holds two key eras.
        var original = Replay(Chain.Take(7));
        var restored = LedgerSnapshot.Decode(LedgerSnapshot.Encode(original));

        Assert.NotNull(restored.VoterKeys);
        for (var height = 0L; height <= Chain.Count + 2; height++)
        {
            var expected = original.VoterKeys!.At(height);
            var actual = restored.VoterKeys!.At(height);
            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
            Assert.All(expected, pair => Assert.Equal(pair.Value, actual[pair.Key]));
        }

        var tail = ChainVerifier.VerifyFrom(6, Chain[6].Hash, Chain.Skip(7), restored.VoterKeys);
        Assert.True(tail.IsValid, tail.Reason);
        foreach (var block in Chain.Skip(7))
        {
            Assert.Equal(original.Apply(block).Outcomes, restored.Apply(block).Outcomes);
        }

        Assert.Equal(original.ComputeStateDigest(), restored.ComputeStateDigest());
        Assert.Equal(LedgerSnapshot.Encode(original), LedgerSnapshot.Encode(restored));
    }

    [Fact]
    public void Snapshot_OfASignedChain_RefusesALaterBlockSignedByANonVoter()
    {
        var restored = LedgerSnapshot.Decode(LedgerSnapshot.Encode(Replay(Chain.Take(7))));
        var forged = SignedChains.Sign(SignedChains.Unsigned(Chain[6], [TestChains.Put("forged")], "outsider"), "outsider");

        Assert.False(ChainVerifier.VerifyNext(Chain[6], forged, restored.VoterKeys).IsValid);
    }

    [Fact]
    public void Snapshot_OfAnUnsignedChain_HasNoKeys()
    {
        var unsigned = Replay(TestChains.Build(4));

        Assert.Null(LedgerSnapshot.Decode(LedgerSnapshot.Encode(unsigned)).VoterKeys);
    }

    [Fact]
    public void Version1Snapshot_WithoutTheKeySection_StillDecodes()
    {
        var ledger = Replay(TestChains.Build(4));
        var version2 = LedgerSnapshot.Encode(ledger);
        var version1 = WithoutKeySection(version2, ledger);

        var restored = LedgerSnapshot.Decode(version1);

        Assert.Equal(ledger.ComputeStateDigest(), restored.ComputeStateDigest());
        Assert.Equal(version2, LedgerSnapshot.Encode(restored));
    }

    [Fact]
    public void UnknownSnapshotVersion_IsRefused_NamingBothReadableVersions()
    {
        var bytes = LedgerSnapshot.Encode(Replay(TestChains.Build(2)));
        bytes[4] = 9;
        Reseal(bytes);

        var error = Assert.Throws<ChainFormatException>(() => LedgerSnapshot.Decode(bytes));
        Assert.Contains("versions 1 and 2", error.Message, StringComparison.Ordinal);
    }

    private static LedgerState Replay(IEnumerable<Block> blocks)
    {
        var ledger = new LedgerState();
        foreach (var block in blocks)
        {
            ledger.Apply(block);
        }

        return ledger;
    }

    // Rewrites a version-2 snapshot of an unsigned chain as version 1: drops the empty key-era count
    // (after the block hashes, the cluster id and the voters) and recomputes the trailing SHA-256.
    private static byte[] WithoutKeySection(byte[] version2, LedgerState ledger)
    {
        var offset = 4 + 1 + 8 + 32 + 8 + (32 * (ledger.Height + 1));
        offset += 4 + Encoding.UTF8.GetByteCount(ledger.ClusterId!);
        offset += 4 + ledger.Voters.Sum(v => 4 + Encoding.UTF8.GetByteCount(v));
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(version2.AsSpan((int)offset)));
        var version1 = version2[..(int)offset].Concat(version2[((int)offset + 4)..]).ToArray();
        version1[4] = 1;
        Reseal(version1);
        return version1;
    }

    private static void Reseal(byte[] snapshot) => SHA256.HashData(snapshot.AsSpan(0, snapshot.Length - 32), snapshot.AsSpan(snapshot.Length - 32));
}
