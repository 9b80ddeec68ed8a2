namespace ActorChain.Chain.Ledger;

public sealed partial class LedgerState
{
    private const string DigestLayout = "actorchain.ledger-digest/1";

    /// <summary>
    /// SHA-256 over a canonical walk of the whole state and every index, each collection in
    /// ordinal order: equal on two nodes exactly when they hold the same state. O(state size).
    /// </summary>
    public Hash256 ComputeStateDigest() => ComputeStateDigest(includeChainPosition: true);

    /// <summary>
    /// Without the chain position (height, head and block hashes) two ledgers compare equal when
    /// they hold the same content, e.g. after extra blocks of nothing but duplicates.
    /// </summary>
    internal Hash256 ComputeStateDigest(bool includeChainPosition)
    {
        using var digest = new DigestWriter();
        digest.WriteText(DigestLayout);
        if (includeChainPosition)
        {
            digest.WriteInt64(Height);
            digest.WriteHash(HeadHash);
            digest.WriteInt64(_blockHashes.Count);
            foreach (var hash in _blockHashes)
            {
                digest.WriteHash(hash);
            }
        }

        digest.WriteText(ClusterId);

        digest.WriteInt64(_voterList.Length);
        foreach (var voter in _voterList)
        {
            digest.WriteText(voter);
        }

        digest.WriteInt64(_fields.Count);
        foreach (var (name, type) in _fields)
        {
            digest.WriteText(name);
            digest.WriteByte((byte)type);
        }

        digest.WriteInt64(_kv.Count);
        foreach (var key in Sorted(_kv.Keys))
        {
            var record = _kv[key];
            digest.WriteText(key);
            digest.WriteBytes(record.Value.Span);
            digest.WriteInt64(record.Height);
            digest.WriteText(record.EntryId);
        }

        digest.WriteInt64(_tasks.Count);
        foreach (var taskId in Sorted(_tasks.Keys))
        {
            var task = _tasks[taskId];
            digest.WriteText(taskId);
            digest.WriteInt64(task.Lost.Count + 1);
            foreach (var claim in task.Lost.Prepend(task.Winner))
            {
                digest.WriteText(claim.NodeId);
                digest.WriteInt64(claim.Height);
                digest.WriteText(claim.EntryId);
            }
        }

        digest.WriteInt64(_entries.Count);
        foreach (var entryId in Sorted(_entries.Keys))
        {
            var entry = _entryLog[_entries[entryId]];
            digest.WriteText(entryId);
            digest.WriteInt64(entry.Height);
            digest.WriteByte((byte)entry.Status);
            digest.WriteText(entry.Reason);
        }

        _files.WriteDigest(digest);
        return digest.Finish();
    }

    private static string[] Sorted(IEnumerable<string> keys)
    {
        var sorted = keys.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        return sorted;
    }
}
