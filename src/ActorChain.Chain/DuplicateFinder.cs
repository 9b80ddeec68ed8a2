using System.Buffers;
using System.Numerics;

namespace ActorChain.Chain;

/// <summary>The keys of a block's entries, by index, as <see cref="DuplicateFinder"/> sees them.</summary>
internal interface IKeyList
{
    int Count { get; }

    int GetKeyHash(int index);

    bool KeysEqual(int left, int right);
}

/// <summary>
/// Open addressing over a pooled table of indices: finds a repeated entry id without allocating
/// a string or a set per block.
/// </summary>
internal static class DuplicateFinder
{
    /// <summary>The index of the first key equal to an earlier one, or -1.</summary>
    public static int IndexOfFirstDuplicate<TKeys>(scoped ref TKeys keys)
        where TKeys : IKeyList, allows ref struct
    {
        var count = keys.Count;
        if (count < 2)
        {
            return -1;
        }

        // At most half full, so probe chains stay short.
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)count * 2);
        var table = ArrayPool<int>.Shared.Rent(size);
        try
        {
            // Slots hold index + 1, so zero marks an empty slot.
            Array.Clear(table, 0, size);
            var mask = size - 1;
            for (var i = 0; i < count; i++)
            {
                var slot = keys.GetKeyHash(i) & mask;
                while (table[slot] != 0)
                {
                    if (keys.KeysEqual(table[slot] - 1, i))
                    {
                        return i;
                    }

                    slot = (slot + 1) & mask;
                }

                table[slot] = i + 1;
            }

            return -1;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(table);
        }
    }
}
