using System.Collections.Immutable;

namespace ActorChain.Cluster;

public enum ReachabilityStatus
{
    Reachable,
    Unreachable,
}

/// <summary>One observer's latest verdict on one subject; only the observer writes its rows, with rising versions.</summary>
public sealed record ReachabilityRecord(UniqueAddress Observer, UniqueAddress Subject, ReachabilityStatus Status, long Version);

/// <summary>
/// The per-observer reachability table carried in the gossip. A row says what its observer's own
/// failure detector last concluded; merging keeps the higher version of each row, which is a
/// lattice join because versions of one observer's rows only rise.
/// </summary>
public sealed class Reachability : IEquatable<Reachability>
{
    public static readonly Reachability Empty = new(ImmutableDictionary<(UniqueAddress Observer, UniqueAddress Subject), ReachabilityRecord>.Empty);

    private Reachability(ImmutableDictionary<(UniqueAddress Observer, UniqueAddress Subject), ReachabilityRecord> rows)
    {
        Rows = rows;
    }

    public ImmutableDictionary<(UniqueAddress Observer, UniqueAddress Subject), ReachabilityRecord> Rows { get; }

    public IEnumerable<ReachabilityRecord> Records => Rows.Values;

    public static Reachability FromRecords(IEnumerable<ReachabilityRecord> records)
    {
        var builder = ImmutableDictionary.CreateBuilder<(UniqueAddress Observer, UniqueAddress Subject), ReachabilityRecord>();
        foreach (var record in records)
        {
            var key = (record.Observer, record.Subject);
            if (!builder.TryGetValue(key, out var existing) || record.Version > existing.Version)
            {
                builder[key] = record;
            }
        }

        return new Reachability(builder.ToImmutable());
    }

    public ReachabilityStatus StatusOf(UniqueAddress observer, UniqueAddress subject) =>
        Rows.TryGetValue((observer, subject), out var row) ? row.Status : ReachabilityStatus.Reachable;

    public Reachability Unreachable(UniqueAddress observer, UniqueAddress subject) => Set(observer, subject, ReachabilityStatus.Unreachable);

    public Reachability Reachable(UniqueAddress observer, UniqueAddress subject) => Set(observer, subject, ReachabilityStatus.Reachable);

    public Reachability Merge(Reachability other)
    {
        var merged = Rows;
        foreach (var (key, row) in other.Rows)
        {
            if (!merged.TryGetValue(key, out var existing) || row.Version > existing.Version ||
                (row.Version == existing.Version && row.Status > existing.Status))
            {
                merged = merged.SetItem(key, row);
            }
        }

        return new Reachability(merged);
    }

    /// <summary>Drops every row that names one of <paramref name="nodes"/> as observer or subject.</summary>
    public Reachability Remove(IReadOnlySet<UniqueAddress> nodes)
    {
        if (nodes.Count == 0)
        {
            return this;
        }

        var kept = Rows.Where(r => !nodes.Contains(r.Key.Observer) && !nodes.Contains(r.Key.Subject)).ToImmutableDictionary();
        return kept.Count == Rows.Count ? this : new Reachability(kept);
    }

    /// <summary>Subjects that at least one observer outside <paramref name="ignoredObservers"/> holds unreachable.</summary>
    public ImmutableSortedSet<UniqueAddress> UnreachableSubjects(IReadOnlySet<UniqueAddress>? ignoredObservers = null) =>
        [.. Rows.Values
            .Where(r => r.Status == ReachabilityStatus.Unreachable && ignoredObservers?.Contains(r.Observer) != true)
            .Select(r => r.Subject)];

    public bool Equals(Reachability? other) =>
        other is not null && other.Rows.Count == Rows.Count &&
        Rows.All(r => other.Rows.TryGetValue(r.Key, out var theirs) && theirs == r.Value);

    public override bool Equals(object? obj) => obj is Reachability other && Equals(other);

    public override int GetHashCode() => Rows.Aggregate(0, (hash, r) => hash ^ r.Value.GetHashCode());

    public override string ToString() => "Reachability(" + string.Join(", ", Rows.Values
        .Where(r => r.Status == ReachabilityStatus.Unreachable)
        .Select(r => $"{r.Observer.NodeId} -> {r.Subject.NodeId} unreachable")) + ")";

    private Reachability Set(UniqueAddress observer, UniqueAddress subject, ReachabilityStatus status)
    {
        if (StatusOf(observer, subject) == status)
        {
            return this;
        }

        var next = Rows.Values.Where(r => r.Observer.Equals(observer)).Select(r => r.Version).DefaultIfEmpty(0).Max() + 1;
        return new Reachability(Rows.SetItem((observer, subject), new ReachabilityRecord(observer, subject, status, next)));
    }
}
