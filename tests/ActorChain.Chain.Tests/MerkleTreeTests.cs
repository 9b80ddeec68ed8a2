using System.Security.Cryptography;

namespace ActorChain.Chain.Tests;

public sealed class MerkleTreeTests
{
    private static readonly Entry A = TestChains.Put("a");
    private static readonly Entry B = TestChains.Put("b");
    private static readonly Entry C = TestChains.Put("c");

    [Fact]
    public void Root_OfNoEntries_IsZero()
    {
        Assert.Equal(Hash256.Zero, MerkleTree.ComputeRoot([]));
    }

    [Fact]
    public void Root_OfOneEntry_IsItsLeaf()
    {
        Assert.Equal(Leaf(A), MerkleTree.ComputeRoot([A]));
    }

    [Fact]
    public void Root_OfTwoEntries_HashesTheLeavesUnderTheNodePrefix()
    {
        Assert.Equal(Node(Leaf(A), Leaf(B)), MerkleTree.ComputeRoot([A, B]));
    }

    [Fact]
    public void Root_OfThreeEntries_PromotesTheOddLeaf()
    {
        Assert.Equal(Node(Node(Leaf(A), Leaf(B)), Leaf(C)), MerkleTree.ComputeRoot([A, B, C]));
    }

    [Fact]
    public void Root_OfFiveEntries_PromotesAtEachOddLevel()
    {
        var d = TestChains.Put("d");
        var e = TestChains.Put("e");

        var expected = Node(Node(Node(Leaf(A), Leaf(B)), Node(Leaf(C), Leaf(d))), Leaf(e));

        Assert.Equal(expected, MerkleTree.ComputeRoot([A, B, C, d, e]));
    }

    [Fact]
    public void Root_WithLastEntryRepeated_DiffersFromWithout()
    {
        // The ambiguity a duplicate-the-odd-leaf tree has: [a,b,c] and [a,b,c,c] must not share a root.
        Assert.NotEqual(MerkleTree.ComputeRoot([A, B, C]), MerkleTree.ComputeRoot([A, B, C, C]));
    }

    [Fact]
    public void Root_OfOneEntry_DiffersFromTheEntryBytesHashedPlain()
    {
        var bytes = new byte[BlockCodec.GetEntrySize(A)];
        BlockCodec.WriteEntry(A, bytes);

        Assert.NotEqual(Hash256.Compute(bytes), MerkleTree.ComputeRoot([A]));
    }

    [Fact]
    public void Root_OfLargePayload_HashesThePayloadInPlace()
    {
        var big = new Entry("big", EntryKind.FileAdd, new byte[200_000], "node-1", 1);

        Assert.Equal(Leaf(big), MerkleTree.ComputeRoot([big]));
    }

    private static Hash256 Leaf(Entry entry)
    {
        var bytes = new byte[1 + BlockCodec.GetEntrySize(entry)];
        BlockCodec.WriteEntry(entry, bytes.AsSpan(1));
        return new Hash256(SHA256.HashData(bytes));
    }

    private static Hash256 Node(Hash256 left, Hash256 right) => new(SHA256.HashData([0x01, .. left.ToArray(), .. right.ToArray()]));
}
