using System.Text;
using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using ActorChain.Consensus.Paxos;
using BenchmarkDotNet.Attributes;

namespace ActorChain.Benchmarks.Consensus;

/// <summary>
/// Encoding the acceptor record each voter fsyncs before it answers an Accept: it carries the
/// whole block, so its allocations grow with every entry of every block.
/// </summary>
[MemoryDiagnoser]
public class AcceptorRecordBenchmarks
{
    private AcceptorRecord _accepted = null!;

    [Params(64)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var genesis = GenesisPayload.CreateGenesisBlock("bench-cluster", ["n0", "n1", "n2"], 1_700_000_000_000);
        var entries = Enumerable.Range(0, Entries)
            .Select(i => new Entry($"bench-{i}", EntryKind.KvPut, new KvPutPayload($"key-{i}", Encoding.UTF8.GetBytes(new string('v', 200))).Encode(), "n0", 0))
            .ToList();
        var block = Block.Create(1, genesis.Hash, 1_700_000_000_001, "n0", entries);
        _accepted = AcceptorRecord.Accepted(1, new Ballot(7, "n0"), block);
    }

    [Benchmark]
    public byte[] EncodeAccepted() => _accepted.Encode();
}
