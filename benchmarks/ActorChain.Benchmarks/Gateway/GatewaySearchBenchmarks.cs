using ActorChain.Chain.Ledger;
using BenchmarkDotNet.Attributes;

namespace ActorChain.Benchmarks.Gateway;

/// <summary>
/// The gateway's searches over 1,000,000 files (issue 7's goal: a tag + date-range search p50 at
/// most 1 ms). Each invocation runs the next of 4,096 random queries of its kind, so the time is a
/// mean over tags of every popularity and ranges anywhere in the twenty years; p50/p99 come from
/// the <c>gateway-search</c> console mode (<see cref="SearchLatency"/>).
/// </summary>
[MemoryDiagnoser]
public class GatewaySearchBenchmarks
{
    private const int QueryCount = 4_096;

    private LedgerState _ledger = new();
    private FileQuery[] _queries = [];
    private int _next;

    [Params(1_000_000)]
    public int Files { get; set; }

    [ParamsAllValues]
    public QueryKind Kind { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _ledger = PhotoArchive.Get(Files).Ledger;
        _queries = PhotoArchive.Queries(Kind, QueryCount, seed: 3);
    }

    [Benchmark]
    public int Search() => _ledger.Search(_queries[_next++ & (QueryCount - 1)]).Items.Count;
}
