using System.Text;
using ActorChain.Chain;
using ActorChain.Chain.Ledger;

namespace ActorChain.Consensus.Tests;

internal static class TestChains
{
    public const string ClusterId = "test-cluster";

    public static Block Genesis(params string[] voters) => GenesisPayload.CreateGenesisBlock(ClusterId, voters, 1_700_000_000_000);

    public static Entry Put(string id, string key = "k", string value = "v", string origin = "client") =>
        new(id, EntryKind.KvPut, new KvPutPayload(key, Encoding.UTF8.GetBytes(value)).Encode(), origin, 0);

    public static Entry VoterAdd(string id, string nodeId) => new(id, EntryKind.VoterAdd, new VoterAddPayload(nodeId).Encode(), "admin", 0);

    public static Entry VoterRemove(string id, string nodeId) => new(id, EntryKind.VoterRemove, new VoterRemovePayload(nodeId).Encode(), "admin", 0);

    public static Block Next(Block previous, string proposer, params Entry[] entries) =>
        Block.Create(previous.Height + 1, previous.Hash, previous.Header.TimestampUnixMs + 1, proposer, entries);

    /// <summary>Genesis then <paramref name="count"/> blocks of one kv.put each.</summary>
    public static List<Block> Chain(Block genesis, int count)
    {
        var blocks = new List<Block>(count + 1) { genesis };
        for (var i = 1; i <= count; i++)
        {
            blocks.Add(Next(blocks[^1], "a", Put($"pre-{i}", $"key-{i % 50}", $"value-{i}")));
        }

        return blocks;
    }
}
