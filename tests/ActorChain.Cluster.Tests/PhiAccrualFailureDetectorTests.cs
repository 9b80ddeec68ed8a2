namespace ActorChain.Cluster.Tests;

public sealed class PhiAccrualFailureDetectorTests
{
    private long _now;

    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(6, 0.7257)]
    [InlineData(15, 0.9332)]
    [InlineData(20, 0.97725)]
    [InlineData(25, 0.99379)]
    [InlineData(35, 0.99977)]
    [InlineData(40, 0.99997)]
    public void Phi_MatchesTheNormalCumulativeDistribution(double timeDiff, double expectedCdf)
    {
        var phi = PhiAccrualFailureDetector.Phi(timeDiff, mean: 0, stdDeviation: 10);

        Assert.Equal(expectedCdf, 1.0 - Math.Pow(10, -phi), 3);
    }

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(500, 0.1)]
    [InlineData(1000, 0.3)]
    [InlineData(1200, 1.6)]
    [InlineData(1400, 4.7)]
    [InlineData(1600, 10.8)]
    [InlineData(1700, 15.3)]
    public void Phi_GivesAkkasRealisticValues(double timeDiff, double expected)
    {
        Assert.Equal(expected, PhiAccrualFailureDetector.Phi(timeDiff, mean: 1000, stdDeviation: 100), 0.1);
    }

    [Fact]
    public void Phi_OfOutliers_KeepsPrecisionAndNeverIsNaN()
    {
        Assert.Equal(38.0, PhiAccrualFailureDetector.Phi(10, 0, 1), 1.0);
        Assert.Equal(0.0, PhiAccrualFailureDetector.Phi(-25, 0, 1), 0.01);
        var extreme = PhiAccrualFailureDetector.Phi(1e6, 0, 1);
        Assert.False(double.IsNaN(extreme));
        Assert.True(extreme > 1000);
    }

    [Fact]
    public void Detector_BeforeAnyHeartbeat_HasPhiZeroAndIsAvailable()
    {
        var detector = Create();
        _now = 1_000_000;

        Assert.Equal(0.0, detector.Phi());
        Assert.True(detector.IsAvailable);
        Assert.False(detector.IsMonitoring);
    }

    [Fact]
    public void Detector_AfterOneHeartbeat_GuessesFromTheFirstHeartbeatEstimate()
    {
        var detector = Create(acceptablePause: TimeSpan.Zero);
        detector.Heartbeat();

        _now += 1000;
        Assert.Equal(0.3, detector.Phi(), 0.2);
        _now += 1000;
        Assert.Equal(4.5, detector.Phi(), 0.3);
    }

    [Fact]
    public void Detector_WithRegularHeartbeats_IsAvailable()
    {
        var detector = Create();
        foreach (var interval in new[] { 0, 1000, 100, 100 })
        {
            _now += interval;
            detector.Heartbeat();
        }

        Assert.True(detector.IsAvailable);
    }

    [Fact]
    public void Detector_WhenHeartbeatsStop_BecomesUnavailable()
    {
        var detector = Create(threshold: 3, acceptablePause: TimeSpan.Zero);
        foreach (var interval in new[] { 0, 1000, 100, 100 })
        {
            _now += interval;
            detector.Heartbeat();
        }

        _now += 7000;

        Assert.False(detector.IsAvailable);
    }

    [Fact]
    public void Phi_RisesWithTimeSinceTheLastHeartbeat()
    {
        var detector = Create();
        for (var i = 0; i < 10; i++)
        {
            _now += 1000;
            detector.Heartbeat();
        }

        var previous = detector.Phi();
        for (var i = 0; i < 20; i++)
        {
            _now += 250;
            var phi = detector.Phi();
            Assert.True(phi >= previous, $"phi fell from {previous} to {phi}");
            previous = phi;
        }

        Assert.True(previous > 8.0);
    }

    [Fact]
    public void Detector_AfterAFailure_IsAvailableAgainOnTheNextHeartbeat_WithoutLearningTheGap()
    {
        var detector = Create();
        for (var i = 0; i < 20; i++)
        {
            _now += 1000;
            detector.Heartbeat();
        }

        _now += 30_000;
        Assert.False(detector.IsAvailable);

        detector.Heartbeat();

        Assert.True(detector.IsAvailable);
        Assert.Equal(1000, detector.History.Mean, 50.0);
    }

    [Fact]
    public void AcceptableHeartbeatPause_DelaysSuspicion()
    {
        var strict = Create(acceptablePause: TimeSpan.Zero);
        var lenient = Create(acceptablePause: TimeSpan.FromSeconds(3));
        for (var i = 0; i < 10; i++)
        {
            _now += 1000;
            strict.Heartbeat();
            lenient.Heartbeat();
        }

        _now += 3000;

        Assert.False(strict.IsAvailable);
        Assert.True(lenient.IsAvailable);
    }

    [Fact]
    public void MinStdDeviation_IsUsedWhenIntervalsAreIdentical()
    {
        var detector = Create(acceptablePause: TimeSpan.Zero, minStdDeviation: TimeSpan.FromMilliseconds(200), maxSampleSize: 3);
        for (var i = 0; i < 5; i++)
        {
            _now += 1000;
            detector.Heartbeat();
        }

        Assert.Equal(0.0, detector.History.StdDeviation, 1e-9);
        _now += 1200;

        Assert.Equal(PhiAccrualFailureDetector.Phi(1200, 1000, 200), detector.Phi(), 1e-9);
    }

    [Fact]
    public void History_KeepsOnlyMaxSampleSizeIntervals_WithTheirMeanAndVariance()
    {
        var history = new HeartbeatHistory(maxSampleSize: 3);
        foreach (var interval in new[] { 5000.0, 1000, 1100, 1200 })
        {
            history.Add(interval);
        }

        Assert.Equal(3, history.Count);
        Assert.Equal(1100, history.Mean, 1e-9);
        Assert.Equal(20000.0 / 3, history.Variance, 1e-6);
    }

    private PhiAccrualFailureDetector Create(
        double threshold = 8.0,
        TimeSpan? acceptablePause = null,
        TimeSpan? minStdDeviation = null,
        int maxSampleSize = 1000) =>
        new(
            threshold,
            maxSampleSize,
            minStdDeviation ?? TimeSpan.FromMilliseconds(100),
            acceptablePause ?? TimeSpan.FromSeconds(3),
            TimeSpan.FromSeconds(1),
            () => _now);
}
