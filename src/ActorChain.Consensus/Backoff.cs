namespace ActorChain.Consensus;

/// <summary>
/// Randomized exponential backoff for dueling proposers: after the k-th failure in a row the
/// delay is uniform in [c/2, c] with c = min(cap, base·2^(k-1)), so two proposers that failed
/// together spread apart, and the wait never exceeds the cap. Randomness is injected so runs repeat.
/// </summary>
internal sealed class Backoff
{
    private readonly long _baseMs;
    private readonly long _capMs;
    private readonly Random _random;

    public Backoff(long baseMs, long capMs, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(baseMs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capMs, baseMs);
        ArgumentNullException.ThrowIfNull(random);
        _baseMs = baseMs;
        _capMs = capMs;
        _random = random;
    }

    /// <summary>Failures since the last <see cref="Reset"/>.</summary>
    public int Failures { get; private set; }

    public long CurrentCeilingMs => Ceiling(Math.Max(Failures, 1));

    /// <summary>Counts a failure and returns how long to wait before the next attempt.</summary>
    public long NextDelayMs()
    {
        Failures = Math.Min(Failures + 1, 62);
        var ceiling = Ceiling(Failures);
        return _random.NextInt64(ceiling / 2, ceiling + 1);
    }

    /// <summary>A short random pause (up to base) that does not count as a failure: lets a fresh winner go first.</summary>
    public long JitterMs() => _random.NextInt64(0, _baseMs + 1);

    public void Reset() => Failures = 0;

    private long Ceiling(int failures)
    {
        var shift = Math.Min(failures - 1, 40);
        var ceiling = _baseMs << shift;
        return ceiling <= 0 || ceiling > _capMs ? _capMs : ceiling;
    }
}
