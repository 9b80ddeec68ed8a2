namespace ActorChain.Remote.Faults;

/// <summary>Which way along a link (local node → remote node) a fault applies.</summary>
[Flags]
public enum FaultDirection
{
    /// <summary>Envelopes this node sends to the remote node.</summary>
    Send = 1,

    /// <summary>Envelopes this node receives from the remote node.</summary>
    Receive = 2,

    Both = Send | Receive,
}

/// <summary>
/// What the fault injector does to envelopes on a link, like Akka's FailureInjectorTransportAdapter.
/// Only envelopes are affected: handshakes and heartbeats pass, so a blackholed link stays connected
/// and the cluster layer's own failure detector (whose heartbeats are envelopes) is what notices.
/// </summary>
public abstract record LinkFault
{
    private LinkFault()
    {
    }

    public static LinkFault PassThrough { get; } = new PassThroughFault();

    public static LinkFault Blackhole { get; } = new BlackholeFault();

    /// <summary>Drops each envelope with probability <paramref name="probability"/>, from a seeded random sequence.</summary>
    public static LinkFault Drop(double probability, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(probability, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(probability, 1.0);
        return new DropFault(probability, seed);
    }

    /// <summary>Holds each envelope back by <paramref name="delay"/> plus up to <paramref name="jitter"/>, keeping order.</summary>
    public static LinkFault Delay(TimeSpan delay, TimeSpan jitter = default, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(jitter, TimeSpan.Zero);
        return new DelayFault(delay, jitter, seed);
    }

    /// <summary>Lets at most <paramref name="bytesPerSecond"/> envelope bytes through per second.</summary>
    public static LinkFault Throttle(long bytesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytesPerSecond, 1);
        return new ThrottleFault(bytesPerSecond);
    }

    public sealed record PassThroughFault : LinkFault;

    public sealed record BlackholeFault : LinkFault;

    public sealed record DropFault(double Probability, int Seed) : LinkFault;

    public sealed record DelayFault(TimeSpan Fixed, TimeSpan Jitter, int Seed) : LinkFault;

    public sealed record ThrottleFault(long BytesPerSecond) : LinkFault;
}
