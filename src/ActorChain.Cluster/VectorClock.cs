using System.Collections.Immutable;

namespace ActorChain.Cluster;

public enum ClockOrdering
{
    Same,
    Before,
    After,
    Concurrent,
}

/// <summary>Version of the gossip: one counter per node id that changed it. Immutable.</summary>
public sealed class VectorClock : IEquatable<VectorClock>
{
    public static readonly VectorClock Empty = new(ImmutableSortedDictionary.Create<string, long>(StringComparer.Ordinal));

    public VectorClock(ImmutableSortedDictionary<string, long> versions)
    {
        Versions = versions;
    }

    public ImmutableSortedDictionary<string, long> Versions { get; }

    public VectorClock Increment(string nodeId) =>
        new(Versions.SetItem(nodeId, Versions.GetValueOrDefault(nodeId) + 1));

    public VectorClock Merge(VectorClock other)
    {
        var merged = Versions;
        foreach (var (node, version) in other.Versions)
        {
            if (version > merged.GetValueOrDefault(node))
            {
                merged = merged.SetItem(node, version);
            }
        }

        return new VectorClock(merged);
    }

    public ClockOrdering Compare(VectorClock other)
    {
        var less = false;
        var greater = false;
        foreach (var node in Versions.Keys.Union(other.Versions.Keys))
        {
            var mine = Versions.GetValueOrDefault(node);
            var theirs = other.Versions.GetValueOrDefault(node);
            less |= mine < theirs;
            greater |= mine > theirs;
        }

        return (less, greater) switch
        {
            (false, false) => ClockOrdering.Same,
            (true, false) => ClockOrdering.Before,
            (false, true) => ClockOrdering.After,
            _ => ClockOrdering.Concurrent,
        };
    }

    public bool Equals(VectorClock? other) => other is not null && Compare(other) == ClockOrdering.Same;

    public override bool Equals(object? obj) => obj is VectorClock other && Equals(other);

    public override int GetHashCode()
    {
        var hash = 0;
        foreach (var (node, version) in Versions)
        {
            if (version != 0)
            {
                hash ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(node), version);
            }
        }

        return hash;
    }

    public override string ToString() => "VectorClock(" + string.Join(", ", Versions.Select(v => $"{v.Key}={v.Value}")) + ")";
}
