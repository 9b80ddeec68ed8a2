using System.Diagnostics;
using System.Text;
using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using ActorChain.Consensus.Actors;
using ActorChain.Consensus.Node;
using ActorChain.Consensus.Paxos;
using ActorChain.Persistence;
using ActorChain.Remote.Actors;
using ActorChain.Remote.Transport;
using BenchmarkDotNet.Attributes;

namespace ActorChain.Benchmarks.Consensus;

/// <summary>
/// Committed entries per second on a 3-node cluster of in-process actor systems over real loopback
/// TCP (one op = one entry acknowledged as decided; entries/s = 1e9 / Mean in ns). Each client
/// submits to a random node and waits for the commit before its next entry. Store "memory" keeps
/// blocks and acceptor records in memory; "fsync" is NodeStore (journal + acceptor log, fsync'd).
/// Commit latency p50/p99 per configuration is printed at cleanup (look for "commit latency").
/// </summary>
[MemoryDiagnoser]
public class ConsensusClusterBenchmarks
{
    private const int EntriesPerInvoke = 640;
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("consensus-benchmark-shared-secret");

    private readonly List<double> _latenciesMs = [];
    private readonly StoreProfile _profile = new();
    private readonly List<string> _dataDirs = [];
    private readonly List<IAsyncDisposable> _stores = [];
    private Remoting[] _nodes = [];
    private ChainClient[] _clients = [];
    private long _next;

    [Params(1, 64)]
    public int Clients { get; set; }

    [Params("memory", "fsync")]
    public string Store { get; set; } = "memory";

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_latenciesMs.Count > 0)
        {
            _latenciesMs.Sort();
            Console.WriteLine(
                $"// commit latency ({Store}, {Clients} clients, {_latenciesMs.Count} commits): " +
                $"p50 {Percentile(0.50):0.000} ms, p99 {Percentile(0.99):0.000} ms");
            var blocks = _clients[0].GetAllBlocksAsync().GetAwaiter().GetResult();
            var entries = blocks.Sum(b => b.Entries.Count) - 1;
            Console.WriteLine(
                $"// profile ({Store}, {Clients} clients): {blocks.Count - 1} blocks, {entries / (double)Math.Max(1, blocks.Count - 1):0.0} entries/block, " +
                $"{_profile.Rounds} attempts (rounds used), {_profile.Promises} promises, {_profile.Accepts} accepts; " +
                $"{_profile.AcceptorWrites} acceptor writes avg {_profile.AcceptorMs / Math.Max(1, _profile.AcceptorWrites):0.000} ms, " +
                $"{_profile.BlockWrites} block writes avg {_profile.BlockMs / Math.Max(1, _profile.BlockWrites):0.000} ms");
        }

        foreach (var node in _nodes)
        {
            node.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        foreach (var store in _stores)
        {
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        foreach (var dir in _dataDirs)
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Benchmark(OperationsPerInvoke = EntriesPerInvoke)]
    public void CommitEntries()
    {
        var perClient = EntriesPerInvoke / Clients;
        var clients = new Task[Clients];
        for (var c = 0; c < Clients; c++)
        {
            clients[c] = Task.Run(() => ClientLoopAsync(perClient));
        }

        Task.WaitAll(clients);
    }

    private async Task ClientLoopAsync(int count)
    {
        var latencies = new double[count];
        for (var i = 0; i < count; i++)
        {
            var id = Interlocked.Increment(ref _next);
            var entry = new Entry($"bench-{id}", EntryKind.KvPut, new KvPutPayload($"key-{id % 1024}", Encoding.UTF8.GetBytes($"value-{id}")).Encode(), "bench", 0);
            var start = Stopwatch.GetTimestamp();
            await _clients[Random.Shared.Next(_clients.Length)].SubmitAsync(entry).ConfigureAwait(false);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        lock (_latenciesMs)
        {
            _latenciesMs.AddRange(latencies);
        }
    }

    private double Percentile(double p) => _latenciesMs[Math.Min(_latenciesMs.Count - 1, (int)(p * _latenciesMs.Count))];

    private async Task SetupAsync()
    {
        string[] ids = ["n0", "n1", "n2"];
        var genesis = GenesisPayload.CreateGenesisBlock("bench-cluster", ids, 1_700_000_000_000);
        _nodes = [.. ids.Select(id => Remoting.Create("actorchain", new RemoteTransportOptions
        {
            NodeId = id,
            ClusterId = "bench-cluster",
            SharedSecret = Secret,
            Hostname = "127.0.0.1",
            Port = 0,
        }))];
        _clients = new ChainClient[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            var peers = Enumerable.Range(0, ids.Length).Where(j => j != i)
                .ToDictionary(j => ids[j], j => $"127.0.0.1:{_nodes[j].Transport.LocalAddress.Port}");
            _clients[i] = await ChainClient.StartAsync(
                _nodes[i],
                new ChainServiceOptions
                {
                    Consensus = new ConsensusOptions { NodeId = ids[i] },
                    Genesis = genesis,
                    SystemName = "actorchain",
                    PeerAddresses = peers,
                },
                await OpenStoreAsync());
        }
    }

    private async Task<IConsensusStore> OpenStoreAsync()
    {
        if (Store == "memory")
        {
            return new InMemoryConsensusStore();
        }

        var dir = Directory.CreateTempSubdirectory("consensus-bench-").FullName;
        _dataDirs.Add(dir);
        var store = new DurableStore(await NodeStore.OpenAsync(dir), _profile);
        _stores.Add(store);
        return store;
    }

    /// <summary>Where the fsync store spends its time and what the acceptors wrote (summed over the three nodes).</summary>
    private sealed class StoreProfile
    {
        public long Rounds;
        public long Promises;
        public long Accepts;
        public long AcceptorWrites;
        public long BlockWrites;
        public double AcceptorMs;
        public double BlockMs;

        public void Count(IReadOnlyList<AcceptorRecord> records)
        {
            foreach (var record in records)
            {
                _ = record.Kind switch
                {
                    AcceptorRecordKind.RoundUsed => Interlocked.Increment(ref Rounds),
                    AcceptorRecordKind.Promised => Interlocked.Increment(ref Promises),
                    _ => Interlocked.Increment(ref Accepts),
                };
            }
        }
    }

    private sealed class DurableStore(NodeStore store, StoreProfile profile) : IConsensusStore, IAsyncDisposable
    {
        public async Task<ConsensusStoreState> LoadAsync(CancellationToken cancellationToken) =>
            new(
                await store.Blocks.ReadRangeAsync(0, checked((int)(store.Blocks.Height + 1)), cancellationToken),
                [.. store.Acceptor.Replayed.Select(bytes => AcceptorRecord.Decode(bytes))]);

        public async Task PersistAcceptorAsync(IReadOnlyList<AcceptorRecord> records, CancellationToken cancellationToken)
        {
            profile.Count(records);
            var start = Stopwatch.GetTimestamp();
            await store.Acceptor.AppendAsync([.. records.Select(r => (ReadOnlyMemory<byte>)r.Encode())], cancellationToken);
            lock (profile)
            {
                profile.AcceptorWrites++;
                profile.AcceptorMs += Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }

        public async Task AppendBlocksAsync(IReadOnlyList<Block> blocks, CancellationToken cancellationToken)
        {
            var start = Stopwatch.GetTimestamp();
            await store.Blocks.AppendAsync(blocks, cancellationToken);
            lock (profile)
            {
                profile.BlockWrites++;
                profile.BlockMs += Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }

        public Task CompactAcceptorAsync(IReadOnlyList<AcceptorRecord> live, CancellationToken cancellationToken) =>
            store.Acceptor.CompactAsync([.. live.Select(r => (ReadOnlyMemory<byte>)r.Encode())], cancellationToken);

        public ValueTask DisposeAsync() => store.DisposeAsync();
    }
}
