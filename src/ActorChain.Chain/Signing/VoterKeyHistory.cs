using System.Diagnostics.CodeAnalysis;

namespace ActorChain.Chain.Signing;

/// <summary>
/// The voters' public keys of a chain with signed blocks, height by height: the keys that may sign
/// block h are those of the voter set after block h−1. Immutable, so a copy taken from the chain's
/// owner can be read on any thread while the chain grows.
/// </summary>
public sealed class VoterKeyHistory
{
    // Ascending FromHeight; an era holds from its height until the next era's.
    private readonly (long FromHeight, IReadOnlyDictionary<string, VoterKey> Keys)[] _eras;

    private VoterKeyHistory((long, IReadOnlyDictionary<string, VoterKey>)[] eras) => _eras = eras;

    /// <summary>The genesis voters' keys, which sign from height 1 (block 0 is not signed).</summary>
    public static VoterKeyHistory Start(IReadOnlyDictionary<string, VoterKey> genesisKeys)
    {
        ArgumentNullException.ThrowIfNull(genesisKeys);
        return new([(1, Copy(genesisKeys))]);
    }

    /// <summary>The keys of the voter sets from <paramref name="fromHeight"/> on, which replace an era that starts there too.</summary>
    public VoterKeyHistory With(long fromHeight, IReadOnlyDictionary<string, VoterKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var last = _eras[^1].FromHeight;
        if (fromHeight < last)
        {
            throw new ArgumentOutOfRangeException(nameof(fromHeight), $"Voter keys change at {fromHeight}, before the last change at {last}.");
        }

        var keep = fromHeight == last ? _eras.Length - 1 : _eras.Length;
        var eras = new (long, IReadOnlyDictionary<string, VoterKey>)[keep + 1];
        Array.Copy(_eras, eras, keep);
        eras[keep] = (fromHeight, Copy(keys));
        return new(eras);
    }

    /// <summary>The voters of <paramref name="height"/> and their keys; empty for height 0.</summary>
    public IReadOnlyDictionary<string, VoterKey> At(long height)
    {
        var lo = 0;
        var hi = _eras.Length - 1;
        if (height < _eras[0].FromHeight)
        {
            return new Dictionary<string, VoterKey>();
        }

        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (_eras[mid].FromHeight <= height)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return _eras[lo].Keys;
    }

    /// <summary>The eras in ascending order, each from its height until the next one's (for ledger snapshots).</summary>
    internal IReadOnlyList<(long FromHeight, IReadOnlyDictionary<string, VoterKey> Keys)> Eras => _eras;

    /// <summary>A history read back from a ledger snapshot: at least one era, heights ascending and at least 1.</summary>
    /// <exception cref="ArgumentException">The eras are empty or out of order.</exception>
    internal static VoterKeyHistory Restore(IReadOnlyList<(long FromHeight, IReadOnlyDictionary<string, VoterKey> Keys)> eras)
    {
        if (eras.Count == 0 || eras[0].FromHeight < 1)
        {
            throw new ArgumentException("a key history starts with an era from height 1 or later", nameof(eras));
        }

        for (var i = 1; i < eras.Count; i++)
        {
            if (eras[i].FromHeight <= eras[i - 1].FromHeight)
            {
                throw new ArgumentException($"key era {i} starts at {eras[i].FromHeight}, not after the era before it ({eras[i - 1].FromHeight})", nameof(eras));
            }
        }

        return new(eras.Select(e => (e.FromHeight, (IReadOnlyDictionary<string, VoterKey>)Copy(e.Keys))).ToArray());
    }

    /// <summary>The key of <paramref name="nodeId"/> when it is a voter at <paramref name="height"/>.</summary>
    public bool TryGetKey(long height, string nodeId, [NotNullWhen(true)] out VoterKey? key) => At(height).TryGetValue(nodeId, out key);

    private static Dictionary<string, VoterKey> Copy(IReadOnlyDictionary<string, VoterKey> keys) => new(keys, StringComparer.Ordinal);
}
