using System.Diagnostics;
using ActorChain.Consensus.Paxos;
using static ActorChain.Consensus.Paxos.PaxosProtocol;

namespace ActorChain.Consensus.Actors;

/// <summary>
/// Counters of one node's chain for <c>GET /metrics</c>. Written on the chain actor's thread (and by
/// any thread that submits), read by a scrape on any thread: plain interlocked fields, no locks, so
/// counting costs the consensus hot path a few nanoseconds. Values start at zero when the node starts.
/// </summary>
public sealed class ChainMetrics
{
    /// <summary>Upper bounds in seconds: from one local fsync to the default write timeout (30 s).</summary>
    public static readonly IReadOnlyList<double> CommitLatencyBounds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private long _blocksDecided;
    private long _entriesDecided;
    private long _proposalsWon;
    private long _proposalsLost;
    private long _proposalsTimedOut;
    private long _nacksBallotTooLow;
    private long _nacksInvalidBlock;
    private long _nacksBehind;
    private long _nacksAlreadyDecided;
    private long _mempoolEntries;
    private long _mempoolBytes;
    private long _ticks;
    private long _blocksInMemory;

    public long BlocksDecided => Volatile.Read(ref _blocksDecided);

    public long EntriesDecided => Volatile.Read(ref _entriesDecided);

    /// <summary>Attempts of this node's proposer that got a quorum for their block (or for a block a promise carried).</summary>
    public long ProposalsWon => Volatile.Read(ref _proposalsWon);

    /// <summary>Attempts refused by a quorum, or made obsolete by another proposer's decision.</summary>
    public long ProposalsLost => Volatile.Read(ref _proposalsLost);

    /// <summary>Attempts that heard from no quorum before the attempt timeout.</summary>
    public long ProposalsTimedOut => Volatile.Read(ref _proposalsTimedOut);

    public long MempoolEntries => Volatile.Read(ref _mempoolEntries);

    public long MempoolBytes => Volatile.Read(ref _mempoolBytes);

    /// <summary>Wake-ups of the consensus timer: every tick interval while work is pending, once a status interval while idle.</summary>
    public long Ticks => Volatile.Read(ref _ticks);

    /// <summary>Decided blocks the chain holds in memory; older ones are read back from the journal.</summary>
    public long BlocksInMemory => Volatile.Read(ref _blocksInMemory);

    /// <summary>Submit to commit, as a caller of <see cref="IChainService.SubmitAsync"/> waits for it.</summary>
    public LatencyHistogram CommitLatency { get; } = new(CommitLatencyBounds);

    /// <summary>Nacks this node's proposer received, by reason (stable label values).</summary>
    public IReadOnlyList<(string Reason, long Count)> Nacks() =>
    [
        ("ballot_too_low", Volatile.Read(ref _nacksBallotTooLow)),
        ("invalid_block", Volatile.Read(ref _nacksInvalidBlock)),
        ("behind", Volatile.Read(ref _nacksBehind)),
        ("already_decided", Volatile.Read(ref _nacksAlreadyDecided)),
    ];

    internal void BlockDecided(int entries)
    {
        Interlocked.Increment(ref _blocksDecided);
        Interlocked.Add(ref _entriesDecided, entries);
    }

    internal void Ticked() => Interlocked.Increment(ref _ticks);

    internal void ProposalWon() => Interlocked.Increment(ref _proposalsWon);

    internal void ProposalLost(bool timedOut) => Interlocked.Increment(ref timedOut ? ref _proposalsTimedOut : ref _proposalsLost);

    /// <summary>Counts <paramref name="message"/> when it is a nack; any other message is ignored.</summary>
    internal void NackReceived(IConsensusMessage message)
    {
        switch (message)
        {
            case Reject { Reason: RejectReason.InvalidBlock }:
                Interlocked.Increment(ref _nacksInvalidBlock);
                break;
            case Reject:
                Interlocked.Increment(ref _nacksBallotTooLow);
                break;
            case Behind:
                Interlocked.Increment(ref _nacksBehind);
                break;
            case AlreadyDecided:
                Interlocked.Increment(ref _nacksAlreadyDecided);
                break;
        }
    }

    internal void SetBlocksInMemory(long blocks) => Volatile.Write(ref _blocksInMemory, blocks);

    internal void SetMempool(int entries, long bytes)
    {
        Volatile.Write(ref _mempoolEntries, entries);
        Volatile.Write(ref _mempoolBytes, bytes);
    }

    /// <summary>Records the time since <paramref name="startedTimestamp"/> (a <see cref="Stopwatch.GetTimestamp"/>) and passes <paramref name="result"/> through.</summary>
    internal T CommitObserved<T>(long startedTimestamp, T result)
    {
        CommitLatency.Observe(Stopwatch.GetElapsedTime(startedTimestamp));
        return result;
    }
}

/// <summary>
/// A Prometheus-style histogram of durations with fixed bucket bounds. <see cref="Observe"/> is two
/// interlocked adds; a scrape reads the buckets without stopping writers, so a scrape racing an
/// observation may see it in the count but not yet in the sum (the next scrape agrees).
/// </summary>
public sealed class LatencyHistogram
{
    private readonly double[] _bounds;

    // One slot per bound plus the +Inf overflow; not cumulative (a scrape sums them).
    private readonly long[] _counts;
    private long _sumTicks;

    public LatencyHistogram(IReadOnlyList<double> boundsSeconds)
    {
        ArgumentNullException.ThrowIfNull(boundsSeconds);
        for (var i = 1; i < boundsSeconds.Count; i++)
        {
            if (!(boundsSeconds[i] > boundsSeconds[i - 1]))
            {
                throw new ArgumentException("Bucket bounds must rise strictly.", nameof(boundsSeconds));
            }
        }

        _bounds = [.. boundsSeconds];
        _counts = new long[_bounds.Length + 1];
    }

    /// <summary>Upper bounds in seconds, without +Inf.</summary>
    public IReadOnlyList<double> Bounds => _bounds;

    public void Observe(TimeSpan elapsed)
    {
        var seconds = elapsed.TotalSeconds;
        var slot = 0;
        while (slot < _bounds.Length && seconds > _bounds[slot])
        {
            slot++;
        }

        Interlocked.Increment(ref _counts[slot]);
        Interlocked.Add(ref _sumTicks, elapsed.Ticks);
    }

    /// <summary>Cumulative counts per bound, the last one +Inf (which is also the total count), and the sum in seconds.</summary>
    public (long[] Cumulative, double SumSeconds) Snapshot()
    {
        var cumulative = new long[_counts.Length];
        long running = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            running += Volatile.Read(ref _counts[i]);
            cumulative[i] = running;
        }

        return (cumulative, TimeSpan.FromTicks(Volatile.Read(ref _sumTicks)).TotalSeconds);
    }
}
