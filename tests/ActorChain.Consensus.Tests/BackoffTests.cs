using FsCheck;
using FsCheck.Fluent;

namespace ActorChain.Consensus.Tests;

public sealed class BackoffTests
{
    [Fact]
    public void NextDelay_AfterKFailures_IsWithinHalfToAllOfBaseTimesTwoToTheKMinusOne_CappedAtTheCap()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), Prop.ForAll(Gen.Choose(0, int.MaxValue - 1).ToArbitrary(), seed =>
        {
            var backoff = new Backoff(10, 300, new Random(seed));
            for (var k = 1; k <= 10; k++)
            {
                var ceiling = Math.Min(300, 10L << (k - 1));
                var delay = backoff.NextDelayMs();
                if (delay < ceiling / 2 || delay > ceiling)
                {
                    return false;
                }
            }

            return true;
        }));
    }

    [Fact]
    public void NextDelay_IsRandomized_SoTwoProposersSpreadApart()
    {
        var a = new Backoff(10, 10_000, new Random(1));
        var b = new Backoff(10, 10_000, new Random(2));
        var delays = Enumerable.Range(0, 8).Select(_ => (a.NextDelayMs(), b.NextDelayMs())).ToList();

        Assert.Contains(delays, d => d.Item1 != d.Item2);
    }

    [Fact]
    public void NextDelay_WithTheSameSeed_RepeatsExactly()
    {
        var a = new Backoff(10, 10_000, new Random(42));
        var b = new Backoff(10, 10_000, new Random(42));

        Assert.Equal(Enumerable.Range(0, 8).Select(_ => a.NextDelayMs()), Enumerable.Range(0, 8).Select(_ => b.NextDelayMs()));
    }

    [Fact]
    public void Reset_StartsOverAtTheBaseDelay()
    {
        var backoff = new Backoff(10, 10_000, new Random(3));
        for (var i = 0; i < 6; i++)
        {
            backoff.NextDelayMs();
        }

        backoff.Reset();

        Assert.InRange(backoff.NextDelayMs(), 5, 10);
        Assert.Equal(1, backoff.Failures);
    }

    [Fact]
    public void Jitter_StaysWithinTheBaseAndDoesNotCountAsAFailure()
    {
        var backoff = new Backoff(10, 100, new Random(4));

        Assert.All(Enumerable.Range(0, 50), _ => Assert.InRange(backoff.JitterMs(), 0, 10));
        Assert.Equal(0, backoff.Failures);
    }
}
