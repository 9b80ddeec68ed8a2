using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using ActorChain.Persistence;
using BenchmarkDotNet.Attributes;

namespace ActorChain.Benchmarks.Persistence;

/// <summary>
/// Durable appends (fsync before each append completes) of blocks of 10 kv entries to the block
/// journal. Sequential: one appender waits for each fsync, so the mean is the per-append latency.
/// Concurrent: <see cref="Appenders"/> appends in flight at once share group commits, so the mean
/// per append falls well below one fsync. Entries/s = 10 / mean. The acceptor-log cases do the same
/// with 64-byte records. Disk-bound: run on the target disk, not tmpfs.
/// </summary>
[MemoryDiagnoser]
public class JournalAppendBenchmarks
{
    private const int AppendsPerInvoke = 256;
    private const int EntriesPerBlock = 10;

    private string _directory = "";
    private BlockJournal _journal = null!;
    private AcceptorLog _acceptor = null!;
    private Block _head = null!;
    private Block[] _next = [];
    private readonly byte[] _record = new byte[64];

    [Params(1, 64)]
    public int Appenders { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "actorchain-bench-" + Guid.NewGuid().ToString("N"));
        _journal = BlockJournal.OpenAsync(Path.Combine(_directory, "journal")).GetAwaiter().GetResult();
        _acceptor = AcceptorLog.OpenAsync(Path.Combine(_directory, "acceptor.log")).GetAwaiter().GetResult();
        _head = GenesisPayload.CreateGenesisBlock("bench", ["node-1", "node-2", "node-3"], 1);
        _journal.AppendAsync(_head).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _journal.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _acceptor.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    [IterationSetup(Targets = [nameof(AppendBlocks)])]
    public void NextBlocks()
    {
        _next = new Block[AppendsPerInvoke];
        var previous = _head;
        var value = new byte[100];
        for (var i = 0; i < _next.Length; i++)
        {
            var entries = new Entry[EntriesPerBlock];
            for (var e = 0; e < entries.Length; e++)
            {
                Random.Shared.NextBytes(value);
                var payload = new KvPutPayload($"key/{previous.Height + 1}/{e}", value).Encode();
                entries[e] = new Entry($"{previous.Height + 1:D8}-{e:D2}-0123456789", EntryKind.KvPut, payload, "node-1", 1);
            }

            previous = _next[i] = Block.Create(previous.Height + 1, previous.Hash, previous.Height + 2, "node-1", entries);
        }

        _head = previous;
    }

    [Benchmark(OperationsPerInvoke = AppendsPerInvoke)]
    public async Task AppendBlocks()
    {
        if (Appenders == 1)
        {
            foreach (var block in _next)
            {
                await _journal.AppendAsync(block);
            }

            return;
        }

        // Appends must arrive in height order; issuing them without awaiting keeps Appenders of them in flight.
        var inFlight = new Task[Appenders];
        for (var i = 0; i < _next.Length; i += Appenders)
        {
            for (var j = 0; j < Appenders; j++)
            {
                inFlight[j] = _journal.AppendAsync(_next[i + j]);
            }

            await Task.WhenAll(inFlight);
        }
    }

    [Benchmark(OperationsPerInvoke = AppendsPerInvoke)]
    public async Task AppendAcceptorRecords()
    {
        if (Appenders == 1)
        {
            for (var i = 0; i < AppendsPerInvoke; i++)
            {
                await _acceptor.AppendAsync(_record);
            }

            return;
        }

        var inFlight = new Task[Appenders];
        for (var i = 0; i < AppendsPerInvoke; i += Appenders)
        {
            for (var j = 0; j < Appenders; j++)
            {
                inFlight[j] = Task.Run(() => _acceptor.AppendAsync(_record));
            }

            await Task.WhenAll(inFlight);
        }
    }
}
