using System.Text;

namespace ActorChain.Chain.Tests;

/// <summary>Valid chains to start from, and the tampering the verifier must catch.</summary>
internal static class TestChains
{
    public const long Timestamp = 1_700_000_000_000;
    public const string ClusterId = "test-cluster";

    public static readonly string[] Voters = ["node-1", "node-2", "node-3"];

    public static Block Genesis(string clusterId = ClusterId) => GenesisPayload.CreateGenesisBlock(clusterId, Voters, Timestamp);

    public static Entry Put(string id, int payloadBytes = 16, EntryKind kind = EntryKind.KvPut, string origin = "node-1")
    {
        var payload = new byte[payloadBytes];
        for (var i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)(id.Length + (i * 7));
        }

        return new Entry(id, kind, payload, origin, Timestamp + 5);
    }

    public static Block Next(Block previous, IReadOnlyList<Entry> entries, string proposer = "node-2") =>
        Block.Create(previous.Height + 1, previous.Hash, Timestamp + (previous.Height * 1000), proposer, entries);

    /// <summary>Genesis plus <paramref name="blocksAfterGenesis"/> blocks of distinct entries.</summary>
    public static List<Block> Build(int blocksAfterGenesis, int entriesPerBlock = 3, int payloadBytes = 16)
    {
        var chain = new List<Block> { Genesis() };
        for (var h = 1; h <= blocksAfterGenesis; h++)
        {
            var entries = Enumerable.Range(0, entriesPerBlock).Select(i => Put($"e-{h}-{i}", payloadBytes)).ToArray();
            chain.Add(Next(chain[^1], entries));
        }

        return chain;
    }

    /// <summary>The block with a changed header but its old claimed hash: what an edit on disk looks like.</summary>
    public static Block WithHeader(Block block, BlockHeader header) => new(header, block.Entries, block.Hash, block.Signature);

    /// <summary>The block with a changed header and a hash recomputed to match it.</summary>
    public static Block Rehashed(Block block, BlockHeader header) => new(header, block.Entries, header.ComputeHash(), block.Signature);

    /// <summary>A well-formed block (its hash and root are its own) with the given parts.</summary>
    public static Block Forge(long height, Hash256 prevHash, IReadOnlyList<Entry> entries, int? declaredCount = null)
    {
        var header = new BlockHeader(
            BlockHeader.CurrentVersion, height, prevHash, Timestamp, "node-9", MerkleTree.ComputeRoot(entries), declaredCount ?? entries.Count);
        return new Block(header, entries, header.ComputeHash(), ReadOnlyMemory<byte>.Empty);
    }

    public static List<ReadOnlyMemory<byte>> Encode(IEnumerable<Block> blocks) =>
        blocks.Select(b => (ReadOnlyMemory<byte>)BlockCodec.EncodeBlock(b)).ToList();

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
