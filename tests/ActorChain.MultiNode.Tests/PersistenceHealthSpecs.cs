using ActorChain.Node.Storage;

namespace ActorChain.MultiNode.Tests;

/// <summary>The rule /health/ready applies to Azure: failures count only once they outlast the grace, and one success ends the outage.</summary>
public sealed class PersistenceHealthSpecs
{
    [Fact]
    public void Failures_WithinTheGrace_StayHealthy_AndPastIt_AreUnhealthyWithTheLastError()
    {
        var time = new ManualTime();
        var health = new StorageHealth(TimeSpan.FromSeconds(10), time);

        health.ReportFailure("first error");
        time.Advance(TimeSpan.FromSeconds(9));
        health.ReportFailure("second error");
        var within = health.Check();
        time.Advance(TimeSpan.FromSeconds(1));
        var past = health.Check();

        Assert.True(within.Healthy, within.Reason);
        Assert.False(past.Healthy);
        Assert.Contains("second error", past.Reason, StringComparison.Ordinal);
        Assert.Contains("failing for 10 s", past.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ASuccess_EndsTheOutage_AndReportsHowLongItLasted()
    {
        var time = new ManualTime();
        var health = new StorageHealth(TimeSpan.FromSeconds(1), time);
        health.ReportFailure("down");
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(health.Check().Healthy);

        var outage = health.ReportSuccess("blocks up to 7 copied");
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(TimeSpan.FromSeconds(5), outage);
        Assert.True(health.Check().Healthy);
        Assert.Null(health.FailingSince);
        Assert.Null(health.ReportSuccess("again"));
    }

    [Fact]
    public void ALocalOnlyNode_IsAlwaysHealthy() => Assert.True(StorageHealth.LocalOnly.Check().Healthy);

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
