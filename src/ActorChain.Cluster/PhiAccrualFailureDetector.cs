namespace ActorChain.Cluster;

/// <summary>
/// Hayashibara's phi-accrual failure detector as Akka implements it: phi is the negative log10 of
/// the probability that a heartbeat still arrives this late, given a normal distribution fitted to
/// the recent inter-arrival times (mean shifted by the acceptable pause, deviation at least the
/// minimum). Not thread-safe: one owner (the cluster daemon) feeds and reads it.
/// </summary>
internal sealed class PhiAccrualFailureDetector
{
    private readonly Func<long> _clockMs;
    private readonly double _acceptablePauseMs;
    private readonly double _minStdDeviationMs;
    private readonly double _firstHeartbeatEstimateMs;
    private readonly int _maxSampleSize;
    private HeartbeatHistory _history;
    private long? _lastTimestamp;

    public PhiAccrualFailureDetector(
        double threshold,
        int maxSampleSize,
        TimeSpan minStdDeviation,
        TimeSpan acceptableHeartbeatPause,
        TimeSpan firstHeartbeatEstimate,
        Func<long> clockMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threshold);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSampleSize);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(minStdDeviation, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(acceptableHeartbeatPause, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(firstHeartbeatEstimate, TimeSpan.Zero);
        Threshold = threshold;
        _maxSampleSize = maxSampleSize;
        _minStdDeviationMs = minStdDeviation.TotalMilliseconds;
        _acceptablePauseMs = acceptableHeartbeatPause.TotalMilliseconds;
        _firstHeartbeatEstimateMs = firstHeartbeatEstimate.TotalMilliseconds;
        _clockMs = clockMs;
        _history = new HeartbeatHistory(maxSampleSize);
    }

    public double Threshold { get; }

    /// <summary>True until the first heartbeat: a node never heard from is not suspected.</summary>
    public bool IsMonitoring => _lastTimestamp is not null;

    public bool IsAvailable => Phi() < Threshold;

    internal HeartbeatHistory History => _history;

    public void Heartbeat()
    {
        var now = _clockMs();
        if (_lastTimestamp is not { } last)
        {
            // Akka seeds the history with two samples around the expected interval so phi is
            // meaningful from the second heartbeat on instead of dividing by a zero deviation.
            var deviation = _firstHeartbeatEstimateMs / 4;
            _history = new HeartbeatHistory(_maxSampleSize)
                .Add(_firstHeartbeatEstimateMs - deviation)
                .Add(_firstHeartbeatEstimateMs + deviation);
        }
        else if (IsAvailableAt(now))
        {
            // The gap that ended a suspected failure is not a normal interval; recording it would
            // make the detector tolerate ever longer pauses.
            _history.Add(now - last);
        }

        _lastTimestamp = now;
    }

    public double Phi() => PhiAt(_clockMs());

    private bool IsAvailableAt(long now) => PhiAt(now) < Threshold;

    private double PhiAt(long now)
    {
        if (_lastTimestamp is not { } last)
        {
            return 0.0;
        }

        var mean = _history.Mean + _acceptablePauseMs;
        var deviation = Math.Max(_history.StdDeviation, _minStdDeviationMs);
        return Phi(now - last, mean, deviation);
    }

    /// <summary>Akka's logistic approximation of the normal CDF (error below 0.00014), safe for large deviations.</summary>
    internal static double Phi(double timeDiff, double mean, double stdDeviation)
    {
        var y = (timeDiff - mean) / stdDeviation;
        var e = Math.Exp(-y * (1.5976 + 0.070566 * y * y));
        return timeDiff > mean ? -Math.Log10(e / (1.0 + e)) : -Math.Log10(1.0 - 1.0 / (1.0 + e));
    }
}

/// <summary>The last <c>maxSampleSize</c> inter-arrival times with running sums for mean and variance.</summary>
internal sealed class HeartbeatHistory(int maxSampleSize)
{
    private readonly Queue<double> _intervals = new();
    private double _sum;
    private double _squaredSum;

    public int Count => _intervals.Count;

    public double Mean => _intervals.Count == 0 ? 0 : _sum / _intervals.Count;

    public double Variance => _intervals.Count == 0 ? 0 : Math.Max(0, _squaredSum / _intervals.Count - Mean * Mean);

    public double StdDeviation => Math.Sqrt(Variance);

    public HeartbeatHistory Add(double interval)
    {
        _intervals.Enqueue(interval);
        _sum += interval;
        _squaredSum += interval * interval;
        if (_intervals.Count > maxSampleSize)
        {
            var dropped = _intervals.Dequeue();
            _sum -= dropped;
            _squaredSum -= dropped * dropped;
        }

        return this;
    }
}
