using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using BenchmarkDotNet.Attributes;

namespace ActorChain.Benchmarks.Persistence;

/// <summary>
/// The cost of a local snapshot: <see cref="LedgerSnapshot.Capture"/> runs on the chain actor, so it is the
/// pause a node's writes see every snapshot-interval blocks (Encode includes it); <see cref="LedgerSnapshot.Decode"/> is the
/// first step of a restart. Same data as <see cref="RecoveryBenchmarks"/>: 1,000,000 kv.put entries over 100,000 keys.
/// </summary>
[MemoryDiagnoser]
public class LedgerSnapshotBenchmarks
{
    private readonly LedgerState _ledger = new();
    private byte[] _encoded = [];

    [GlobalSetup]
    public void Setup()
    {
        var previous = GenesisPayload.CreateGenesisBlock("bench", ["node-1", "node-2", "node-3"], 1);
        _ledger.Apply(previous);
        var random = new Random(11);
        var value = new byte[64];
        for (var h = 1; h <= 1_000; h++)
        {
            var entries = new Entry[1_000];
            for (var i = 0; i < entries.Length; i++)
            {
                random.NextBytes(value);
                var payload = new KvPutPayload($"user/{random.Next(100_000):D6}/profile", value).Encode();
                entries[i] = new Entry($"{h:D4}-{i:D4}-0123456789abcdef", EntryKind.KvPut, payload, "node-1", 1);
            }

            previous = Block.Create(h, previous.Hash, h + 1, "node-1", entries);
            _ledger.Apply(previous);
        }

        _encoded = LedgerSnapshot.Encode(_ledger);
    }

    /// <summary>What the chain actor pauses for: the copy; the sort and encoding run elsewhere.</summary>
    [Benchmark]
    public long Capture() => LedgerSnapshot.Capture(_ledger).Height;

    [Benchmark]
    public int Encode() => LedgerSnapshot.Encode(_ledger).Length;

    [Benchmark]
    public long Decode() => LedgerSnapshot.Decode(_encoded).Height;
}
