using ActorChain.Chain;

namespace ActorChain.Consensus;

public enum MempoolAdmission
{
    Added,

    /// <summary>An entry with this id is already waiting; the first one stays.</summary>
    Duplicate,

    /// <summary>The mempool holds its maximum entry count or bytes; the entry was not stored.</summary>
    Full,

    /// <summary>The entry alone is larger than the mempool's byte limit.</summary>
    TooLarge,
}

/// <summary>Why a submission was turned away; <see cref="Message"/> is meant for the client.</summary>
public sealed record MempoolRejection(string EntryId, MempoolAdmission Admission, string Message);

/// <summary>
/// Entries waiting for a block, by id (the first submission of an id wins), in arrival order.
/// Bounded by count and bytes (canonical entry size). <see cref="Take"/> does not remove:
/// an entry leaves only when a decided block holds it (<see cref="Remove"/>), so an attempt
/// that loses never drops anything.
/// </summary>
internal sealed class Mempool
{
    private readonly LinkedList<Item> _order = new();
    private readonly Dictionary<string, LinkedListNode<Item>> _byId = new(StringComparer.Ordinal);

    public Mempool(int maxEntries, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        MaxEntries = maxEntries;
        MaxBytes = maxBytes;
    }

    public int MaxEntries { get; }

    public long MaxBytes { get; }

    public int Count => _byId.Count;

    public long Bytes { get; private set; }

    /// <summary>Entries submitted to this node by a client (not forwarded by a peer).</summary>
    public int LocalCount { get; private set; }

    public bool Contains(string entryId) => _byId.ContainsKey(entryId);

    /// <remarks>
    /// <c>local</c>: Submitted here by a client, rather than forwarded by a peer.
    /// <c>arrivedAtMs</c>: When it arrived (the owner's clock); see <see cref="OldestArrivalMs"/>.
    /// </remarks>
    public MempoolAdmission TryAdd(Entry entry, bool local, long arrivedAtMs, out MempoolRejection? rejection)
    {
        ArgumentNullException.ThrowIfNull(entry);
        rejection = null;
        if (_byId.ContainsKey(entry.Id))
        {
            return MempoolAdmission.Duplicate;
        }

        long size = BlockCodec.GetEntrySize(entry);
        if (size > MaxBytes)
        {
            rejection = new(entry.Id, MempoolAdmission.TooLarge, $"Entry '{entry.Id}' is {size} bytes; the mempool holds at most {MaxBytes} bytes.");
            return MempoolAdmission.TooLarge;
        }

        if (_byId.Count >= MaxEntries || Bytes + size > MaxBytes)
        {
            rejection = new(
                entry.Id,
                MempoolAdmission.Full,
                $"The mempool is full ({_byId.Count} of {MaxEntries} entries, {Bytes} of {MaxBytes} bytes): entry '{entry.Id}' was not accepted; retry later.");
            return MempoolAdmission.Full;
        }

        _byId.Add(entry.Id, _order.AddLast(new Item(entry, size, local, arrivedAtMs)));
        Bytes += size;
        LocalCount += local ? 1 : 0;
        return MempoolAdmission.Added;
    }

    /// <summary>A client submitted an entry a peer had forwarded: it now counts as local work. False when the id is not waiting.</summary>
    public bool MarkLocal(string entryId)
    {
        if (!_byId.TryGetValue(entryId, out var node))
        {
            return false;
        }

        if (!node.Value.Local)
        {
            node.Value = node.Value with { Local = true };
            LocalCount++;
        }

        return true;
    }

    /// <summary>Arrival time of the oldest waiting entry, or null when empty.</summary>
    public long? OldestArrivalMs => _order.First?.Value.ArrivedAtMs;

    /// <summary>
    /// The oldest entries, in arrival order, up to both limits, skipping the ids <paramref name="skip"/>
    /// names (already in the chain); nothing is removed. An entry that would pass the byte limit ends
    /// the batch, except as the first entry, so one large entry never starves.
    /// </summary>
    public List<Entry> Take(int maxEntries, long maxBytes, Func<string, bool>? skip = null)
    {
        var taken = new List<Entry>(Math.Min(maxEntries, _byId.Count));
        long bytes = 0;
        for (var node = _order.First; node is not null && taken.Count < maxEntries; node = node.Next)
        {
            var item = node.Value;
            if (skip?.Invoke(item.Entry.Id) == true)
            {
                continue;
            }

            if (taken.Count > 0 && bytes + item.Size > maxBytes)
            {
                break;
            }

            taken.Add(item.Entry);
            bytes += item.Size;
        }

        return taken;
    }

    /// <summary>Removes the ids (a decided block's entries); unknown ids are ignored. Returns how many left.</summary>
    public int Remove(IEnumerable<string> entryIds)
    {
        var removed = 0;
        foreach (var id in entryIds)
        {
            if (_byId.Remove(id, out var node))
            {
                _order.Remove(node);
                Bytes -= node.Value.Size;
                LocalCount -= node.Value.Local ? 1 : 0;
                removed++;
            }
        }

        return removed;
    }

    private readonly record struct Item(Entry Entry, long Size, bool Local, long ArrivedAtMs);
}
