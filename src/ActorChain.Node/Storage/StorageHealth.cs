namespace ActorChain.Node.Storage;

/// <summary>What <see cref="StorageHealth.Check"/> says: healthy, or why not (for /health/ready).</summary>
internal readonly record struct StorageStatus(bool Healthy, string Reason);

/// <summary>
/// Whether the node's remote storage (Azure) keeps up. Failures shorter than the grace only delay the
/// copies (the local journal holds every decided block), so readiness turns false only once the storage
/// has been failing, without a success in between, for longer than the grace.
/// </summary>
internal sealed class StorageHealth(TimeSpan grace, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private DateTimeOffset? _failingSince;
    private string _lastError = string.Empty;
    private string _lastSuccess = "no storage operation has run yet";

    /// <summary>No remote storage is configured: always healthy.</summary>
    public static StorageHealth LocalOnly { get; } = new(TimeSpan.MaxValue);

    public TimeSpan Grace => grace;

    /// <summary>When the current outage began; null while the storage answers.</summary>
    public DateTimeOffset? FailingSince
    {
        get
        {
            lock (_gate)
            {
                return _failingSince;
            }
        }
    }

    /// <summary>Records a success; returns how long the outage it ends lasted (null when there was none).</summary>
    public TimeSpan? ReportSuccess(string what)
    {
        lock (_gate)
        {
            var outage = _failingSince is { } since ? _time.GetUtcNow() - since : (TimeSpan?)null;
            _failingSince = null;
            _lastSuccess = what;
            return outage;
        }
    }

    public void ReportFailure(string reason)
    {
        lock (_gate)
        {
            _failingSince ??= _time.GetUtcNow();
            _lastError = reason;
        }
    }

    public StorageStatus Check()
    {
        lock (_gate)
        {
            if (_failingSince is not { } since)
            {
                return new StorageStatus(true, _lastSuccess);
            }

            var failing = _time.GetUtcNow() - since;
            return failing >= grace
                ? new StorageStatus(false, $"Azure Storage has been failing for {failing.TotalSeconds:0.#} s (grace {grace.TotalSeconds:0.#} s): {_lastError}")
                : new StorageStatus(true, $"Azure Storage failing for {failing.TotalSeconds:0.#} s, within the grace of {grace.TotalSeconds:0.#} s: {_lastError}");
        }
    }
}
