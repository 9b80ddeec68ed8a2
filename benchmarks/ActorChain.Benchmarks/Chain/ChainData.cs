using ActorChain.Chain;

namespace ActorChain.Benchmarks.Chain;

/// <summary>Realistic blocks: entries with ~20-byte ids, a node id origin and fixed-size payloads.</summary>
internal static class ChainData
{
    public static Entry[] Entries(int height, int count, int payloadBytes)
    {
        var random = new Random(height);
        var entries = new Entry[count];
        for (var i = 0; i < count; i++)
        {
            var payload = new byte[payloadBytes];
            random.NextBytes(payload);
            entries[i] = new Entry($"entry-{height:D6}-{i:D6}", EntryKind.KvPut, payload, "node-1", 1_700_000_000_000 + i);
        }

        return entries;
    }

    public static List<Block> Chain(int blocksAfterGenesis, int entriesPerBlock, int payloadBytes)
    {
        var chain = new List<Block> { GenesisPayload.CreateGenesisBlock("bench", ["node-1", "node-2", "node-3"], 1_700_000_000_000) };
        for (var h = 1; h <= blocksAfterGenesis; h++)
        {
            var previous = chain[^1];
            chain.Add(Block.Create(h, previous.Hash, 1_700_000_000_000 + h, "node-2", Entries(h, entriesPerBlock, payloadBytes)));
        }

        return chain;
    }
}
