using ActorChain.TestKit;

namespace ActorChain.Tests.Harness;

/// <summary>Polling with a deadline: the only way specs wait. A timeout names what did not happen.</summary>
internal static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    public static async Task Until(Func<bool> condition, TimeSpan max, string whatDidNotHappen)
    {
        await UntilAsync(() => Task.FromResult(condition()), max, whatDidNotHappen);
    }

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan max, string whatDidNotHappen)
    {
        var deadline = DateTime.UtcNow + TestTime.Dilated(max);
        using var timer = new PeriodicTimer(Interval);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Within {TestTime.Dilated(max)}: {whatDidNotHappen}.");
            }

            await timer.WaitForNextTickAsync();
        }
    }
}
