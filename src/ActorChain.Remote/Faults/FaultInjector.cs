using System.Collections.Concurrent;
using System.Diagnostics;

namespace ActorChain.Remote.Faults;

internal sealed class FaultInjector : IFaultInjector
{
    private readonly ConcurrentDictionary<(string Node, FaultDirection Direction), LinkFaultState> _links = new();

    // Lets the hot path skip the dictionary while no fault was ever set (the production case).
    private volatile bool _any;

    public void Set(string remoteNodeId, FaultDirection direction, LinkFault fault)
    {
        ArgumentException.ThrowIfNullOrEmpty(remoteNodeId);
        ArgumentNullException.ThrowIfNull(fault);
        if ((direction & FaultDirection.Both) == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(direction), direction, "Send, Receive or Both.");
        }

        foreach (var single in (ReadOnlySpan<FaultDirection>)[FaultDirection.Send, FaultDirection.Receive])
        {
            if ((direction & single) != 0)
            {
                _links[(remoteNodeId, single)] = new LinkFaultState(fault);
            }
        }

        _any = true;
    }

    public void Heal(string remoteNodeId)
    {
        _links.TryRemove((remoteNodeId, FaultDirection.Send), out _);
        _links.TryRemove((remoteNodeId, FaultDirection.Receive), out _);
    }

    public void HealAll() => _links.Clear();

    public LinkFaultState Get(string remoteNodeId, FaultDirection direction) =>
        _any && _links.TryGetValue((remoteNodeId, direction), out var state) ? state : LinkFaultState.PassThrough;
}

/// <summary>One fault on one link direction, with the state it needs (seeded random, delay clock).</summary>
internal sealed class LinkFaultState
{
    public static readonly LinkFaultState PassThrough = new(LinkFault.PassThrough);

    private readonly Lock _lock = new();
    private readonly Random? _random;
    private long _nextDue;

    public LinkFaultState(LinkFault fault)
    {
        Fault = fault;
        _random = fault switch
        {
            LinkFault.DropFault drop => new Random(drop.Seed),
            LinkFault.DelayFault delay => new Random(delay.Seed),
            _ => null,
        };
    }

    public LinkFault Fault { get; }

    public bool IsPassThrough => Fault is LinkFault.PassThroughFault;

    public bool ShouldDrop()
    {
        switch (Fault)
        {
            case LinkFault.BlackholeFault:
                return true;
            case LinkFault.DropFault drop:
                lock (_lock)
                {
                    // NextDouble is in [0, 1): p = 1 always drops, p = 0 never does.
                    return _random!.NextDouble() < drop.Probability;
                }

            default:
                return false;
        }
    }

    public bool IsDelay => Fault is LinkFault.DelayFault;

    /// <summary>
    /// How long, from now, to hold back an envelope of <paramref name="bytes"/> that entered the link at
    /// <paramref name="arrivedAt"/> (a Stopwatch timestamp). A delay counts from the arrival, so
    /// envelopes sent together are delayed together rather than one after another; due times never
    /// go backwards, so order is kept.
    /// </summary>
    public TimeSpan WaitBefore(int bytes, long arrivedAt)
    {
        var now = Stopwatch.GetTimestamp();
        long due;
        lock (_lock)
        {
            switch (Fault)
            {
                case LinkFault.DelayFault delay:
                    var jitter = delay.Jitter > TimeSpan.Zero ? _random!.NextInt64(delay.Jitter.Ticks + 1) : 0;
                    due = Math.Max(_nextDue, arrivedAt + ToTimestamp(delay.Fixed.Ticks + jitter));
                    _nextDue = due;
                    break;
                case LinkFault.ThrottleFault throttle:
                    due = Math.Max(_nextDue, now);
                    _nextDue = due + (long)((double)bytes * Stopwatch.Frequency / throttle.BytesPerSecond);
                    break;
                default:
                    return TimeSpan.Zero;
            }
        }

        return due > now ? Stopwatch.GetElapsedTime(now, due) : TimeSpan.Zero;
    }

    private static long ToTimestamp(long timeSpanTicks) => (long)(timeSpanTicks * ((double)Stopwatch.Frequency / TimeSpan.TicksPerSecond));
}
