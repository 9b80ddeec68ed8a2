using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using ActorChain.Persistence;
using BenchmarkDotNet.Attributes;

namespace ActorChain.Benchmarks.Persistence;

/// <summary>
/// Node start-up: open the journal (CRC of every record, full chain verification), load the newest
/// snapshot if any, replay the blocks after it. The data is 1,000 blocks × 1,000 kv.put entries
/// (1,000,000 entries, 64-byte values, 100,000 distinct keys). Goal: at most 5 s per recovery.
/// <see cref="SnapshotAt"/> -1 replays every block; 900 loads the snapshot at 900 and replays 100.
/// </summary>
[MemoryDiagnoser]
public class RecoveryBenchmarks
{
    private const int Blocks = 1_000;
    private const int EntriesPerBlock = 1_000;

    private string _directory = "";

    [Params(-1, 900)]
    public int SnapshotAt { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "actorchain-bench-recovery-" + Guid.NewGuid().ToString("N"));
        var store = NodeStore.OpenAsync(_directory).GetAwaiter().GetResult();
        try
        {
            var ledger = new LedgerState();
            var previous = GenesisPayload.CreateGenesisBlock("bench", ["node-1", "node-2", "node-3"], 1);
            Append(store, ledger, previous);
            var random = new Random(11);
            var value = new byte[64];
            for (var h = 1; h <= Blocks; h++)
            {
                var entries = new Entry[EntriesPerBlock];
                for (var i = 0; i < entries.Length; i++)
                {
                    random.NextBytes(value);
                    var payload = new KvPutPayload($"user/{random.Next(100_000):D6}/profile", value).Encode();
                    entries[i] = new Entry($"{h:D4}-{i:D4}-0123456789abcdef", EntryKind.KvPut, payload, "node-1", 1);
                }

                previous = Block.Create(h, previous.Hash, h + 1, "node-1", entries);
                Append(store, ledger, previous);
                if (h == SnapshotAt)
                {
                    store.Snapshots.SaveAsync(ledger).GetAwaiter().GetResult();
                }
            }
        }
        finally
        {
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark]
    public async Task<long> Recover()
    {
        await using var store = await NodeStore.OpenAsync(_directory);
        if (store.Recovery.Height != Blocks)
        {
            throw new InvalidOperationException($"Recovered height {store.Recovery.Height}, expected {Blocks}.");
        }

        return store.Recovery.Ledger.KeyCount;
    }

    private static void Append(NodeStore store, LedgerState ledger, Block block)
    {
        store.Blocks.AppendAsync(block).GetAwaiter().GetResult();
        ledger.Apply(block);
    }
}
