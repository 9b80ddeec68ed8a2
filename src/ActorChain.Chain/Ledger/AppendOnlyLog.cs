using System.Collections;

namespace ActorChain.Chain.Ledger;

/// <summary>
/// A list that only grows, stored in fixed chunks that never move. Its owner appends; a <see cref="Prefix"/> taken
/// on the owner's thread can then be read on any other thread while the owner keeps appending. That is how the
/// chain actor captures a ledger snapshot of millions of entries in constant time and leaves the copy to another thread.
/// </summary>
/// <remarks>
/// A prefix reads only items that existed when it was taken. The owner writes only later slots, and a grown chunk
/// directory is a new array, so a prefix never sees a half-written item. Handing the prefix to another thread
/// (a task, a queue) publishes what the owner wrote before it.
/// </remarks>
internal sealed class AppendOnlyLog<T> : IReadOnlyList<T>
{
    // 2,048 items a chunk: a chunk of items up to 40 bytes stays off the large-object heap.
    private const int ChunkBits = 11;
    private const int ChunkSize = 1 << ChunkBits;
    private const int ChunkMask = ChunkSize - 1;

    private T[][] _chunks = [];
    private int _count;

    public int Count => _count;

    public T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"The log holds {_count} items.");
            }

            return _chunks[index >> ChunkBits][index & ChunkMask];
        }
    }

    public void Add(T item)
    {
        var chunk = _count >> ChunkBits;
        if ((_count & ChunkMask) == 0)
        {
            if (chunk == _chunks.Length)
            {
                var grown = new T[Math.Max(4, _chunks.Length * 2)][];
                Array.Copy(_chunks, grown, _chunks.Length);
                _chunks = grown;
            }

            _chunks[chunk] = new T[ChunkSize];
        }

        _chunks[chunk][_count & ChunkMask] = item;
        _count++;
    }

    /// <summary>The items there are now, readable on any thread from here on.</summary>
    public Prefix TakePrefix() => new(_chunks, _count);

    public IEnumerator<T> GetEnumerator() => TakePrefix().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The first <see cref="Count"/> items of a log as they were when it was taken.</summary>
    internal readonly struct Prefix(T[][] chunks, int count)
    {
        public int Count => count;

        public T[] ToArray()
        {
            var items = new T[count];
            for (int copied = 0, chunk = 0; copied < count; chunk++)
            {
                var length = Math.Min(ChunkSize, count - copied);
                Array.Copy(chunks[chunk], 0, items, copied, length);
                copied += length;
            }

            return items;
        }

        public IEnumerator<T> GetEnumerator()
        {
            for (var i = 0; i < count; i++)
            {
                yield return chunks[i >> ChunkBits][i & ChunkMask];
            }
        }
    }
}
