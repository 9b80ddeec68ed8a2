using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using BenchmarkDotNet.Attributes;

namespace ActorChain.Benchmarks.Ledger;

/// <summary>
/// Ledger apply throughput for key-value entries: a fresh ledger takes genesis plus 100 blocks of
/// 1,000 kv.put entries (100,000 entries per invocation). Goal: at least 1,000,000 entries/s,
/// i.e. at most 1 µs per entry in the reported mean.
/// </summary>
[MemoryDiagnoser]
public class LedgerApplyBenchmarks
{
    private const int Blocks = 100;
    private const int EntriesPerBlock = 1_000;

    private Block[] _chain = [];

    [Params(10_000, 1_000_000)]
    public int KeySpace { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var chain = new List<Block> { GenesisPayload.CreateGenesisBlock("bench", ["node-a", "node-b", "node-c"], 1) };
        var random = new Random(7);
        var value = new byte[64];
        for (var b = 0; b < Blocks; b++)
        {
            var entries = new Entry[EntriesPerBlock];
            for (var i = 0; i < entries.Length; i++)
            {
                random.NextBytes(value);
                var payload = new KvPutPayload($"user/{random.Next(KeySpace):D7}/profile", value).Encode();
                entries[i] = new Entry($"{b:D4}-{i:D4}-0123456789abcdef", EntryKind.KvPut, payload, "node-a", 1);
            }

            var previous = chain[^1];
            chain.Add(Block.Create(previous.Height + 1, previous.Hash, previous.Height + 2, "node-a", entries));
        }

        _chain = [.. chain];
    }

    [Benchmark(OperationsPerInvoke = Blocks * EntriesPerBlock)]
    public long ApplyKvPutBlocks()
    {
        var ledger = new LedgerState();
        foreach (var block in _chain)
        {
            ledger.Apply(block);
        }

        return ledger.KeyCount;
    }
}
