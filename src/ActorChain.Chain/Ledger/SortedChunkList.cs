namespace ActorChain.Chain.Ledger;

/// <summary>
/// A sorted set kept as a list of small sorted chunks (the layout of Python's sortedcontainers):
/// insert and remove touch one chunk of at most <see cref="MaxChunk"/> items, and the position of
/// a bound is two binary searches, so a range's size is known without walking it. That is what
/// lets a search pick the most selective index and page an ordered range directly.
/// </summary>
internal sealed class SortedChunkList<T>(IComparer<T> comparer)
{
    private const int MaxChunk = 512;

    private readonly List<List<T>> _chunks = [];

    public int Count { get; private set; }

    public bool Add(T item)
    {
        if (_chunks.Count == 0)
        {
            _chunks.Add([item]);
            Count = 1;
            return true;
        }

        var c = ChunkFor(item);
        var chunk = _chunks[c];
        var i = chunk.BinarySearch(item, comparer);
        if (i >= 0)
        {
            return false;
        }

        chunk.Insert(~i, item);
        Count++;
        if (chunk.Count > MaxChunk)
        {
            var half = chunk.Count / 2;
            _chunks.Insert(c + 1, chunk.GetRange(half, chunk.Count - half));
            chunk.RemoveRange(half, chunk.Count - half);
        }

        return true;
    }

    public bool Remove(T item)
    {
        if (_chunks.Count == 0)
        {
            return false;
        }

        var c = ChunkFor(item);
        var chunk = _chunks[c];
        var i = chunk.BinarySearch(item, comparer);
        if (i < 0)
        {
            return false;
        }

        chunk.RemoveAt(i);
        Count--;
        if (chunk.Count == 0)
        {
            _chunks.RemoveAt(c);
        }

        return true;
    }

    /// <summary>
    /// The number of leading items for which <paramref name="isBefore"/> holds; the predicate must
    /// be true for a prefix of the order and false after it.
    /// </summary>
    public int PartitionPoint<TState>(TState state, Func<T, TState, bool> isBefore)
    {
        int lo = 0, hi = _chunks.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            var chunk = _chunks[mid];
            if (isBefore(chunk[^1], state))
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        var rank = 0;
        for (var c = 0; c < lo; c++)
        {
            rank += _chunks[c].Count;
        }

        if (lo == _chunks.Count)
        {
            return rank;
        }

        var items = _chunks[lo];
        int a = 0, b = items.Count;
        while (a < b)
        {
            var mid = (a + b) >>> 1;
            if (isBefore(items[mid], state))
            {
                a = mid + 1;
            }
            else
            {
                b = mid;
            }
        }

        return rank + a;
    }

    /// <summary>Up to <paramref name="count"/> items from position <paramref name="start"/> on, in order.</summary>
    public IEnumerable<T> Range(int start, int count)
    {
        var c = 0;
        while (c < _chunks.Count && start >= _chunks[c].Count)
        {
            start -= _chunks[c].Count;
            c++;
        }

        for (; c < _chunks.Count && count > 0; c++, start = 0)
        {
            var chunk = _chunks[c];
            for (var i = start; i < chunk.Count && count > 0; i++, count--)
            {
                yield return chunk[i];
            }
        }
    }

    private int ChunkFor(T item)
    {
        int lo = 0, hi = _chunks.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (comparer.Compare(_chunks[mid][^1], item) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
