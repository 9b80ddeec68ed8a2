using System.Globalization;

namespace ActorChain.TestKit;

/// <summary>
/// Time scaling for slow machines: every timeout the kit uses is multiplied by the factor in the
/// environment variable ACTORCHAIN_TEST_TIMEFACTOR (a positive number, default 1), as Akka's
/// akka.test.timefactor. Set it to e.g. 3 on an overloaded CI machine.
/// </summary>
public static class TestTime
{
    public const string TimeFactorVariable = "ACTORCHAIN_TEST_TIMEFACTOR";

    /// <summary>How long an Expect waits when given no timeout and not inside Within (before dilation).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(3);

    public static double TimeFactor { get; } = ReadFactor();

    public static TimeSpan Dilated(TimeSpan duration) =>
        duration == Timeout.InfiniteTimeSpan ? duration : TimeSpan.FromTicks((long)(duration.Ticks * TimeFactor));

    internal static string Format(TimeSpan t) => t.TotalSeconds >= 1
        ? t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s"
        : t.TotalMilliseconds.ToString("0.#", CultureInfo.InvariantCulture) + "ms";

    private static double ReadFactor()
    {
        var text = Environment.GetEnvironmentVariable(TimeFactorVariable);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) && factor > 0 ? factor : 1.0;
    }
}
