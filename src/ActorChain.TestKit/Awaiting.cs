using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Xunit;

namespace ActorChain.TestKit;

/// <summary>Polling with a deadline, shared by the kit and probes.</summary>
internal static class Awaiting
{
    public static void AwaitAssert(Action assertion, TimeSpan max, TimeSpan interval)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(max.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            try
            {
                assertion();
                return;
            }
            catch (Exception ex) when (Stopwatch.GetTimestamp() < deadline)
            {
                _ = ex;
            }
            catch (Exception ex)
            {
                ExceptionDispatchInfo.Throw(new AwaitAssertException(
                    $"AwaitAssert: the assertion still failed after {TestTime.Format(max)}: {ex.Message}", ex));
            }

            Wait(deadline, interval);
        }
    }

    public static void AwaitCondition(Func<bool> condition, TimeSpan max, TimeSpan interval, string? message)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(max.TotalSeconds * Stopwatch.Frequency);
        while (!condition())
        {
            if (Stopwatch.GetTimestamp() >= deadline)
            {
                Assert.Fail($"AwaitCondition: {message ?? "the condition"} did not become true within {TestTime.Format(max)}.");
            }

            Wait(deadline, interval);
        }
    }

    private static void Wait(long deadline, TimeSpan interval)
    {
        var left = TimeSpan.FromSeconds((double)(deadline - Stopwatch.GetTimestamp()) / Stopwatch.Frequency);
        var pause = left < interval ? left : interval;
        if (pause > TimeSpan.Zero)
        {
            // A polling pause between checks, not synchronisation: the check itself decides.
            using var gate = new ManualResetEventSlim();
            gate.Wait(pause);
        }
    }
}

public sealed class AwaitAssertException(string message, Exception inner) : Exception(message, inner);
