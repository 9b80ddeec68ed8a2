using ActorChain.Chain.Signing;

namespace ActorChain.Chain.Ledger;

// The hooks LedgerSnapshot needs to read and rebuild the private state; nothing else uses them.
public sealed partial class LedgerState
{
    internal AppendOnlyLog<Hash256>.Prefix BlockHashes => _blockHashes.TakePrefix();

    internal IReadOnlyDictionary<string, KvRecord> KvRecords => _kv;

    /// <summary>Every entry id in the chain with its height, status and reason, in apply order.</summary>
    internal AppendOnlyLog<EntryLogItem>.Prefix EntryRecords => _entryLog.TakePrefix();

    internal int TaskRecordCount => _tasks.Count;

    /// <summary>Each task's claims in chain order, the winner first.</summary>
    internal IEnumerable<(string TaskId, IEnumerable<TaskClaim> Claims)> TaskRecords()
    {
        foreach (var (taskId, task) in _tasks)
        {
            yield return (taskId, task.Lost.Prepend(task.Winner));
        }
    }

    internal void RestoreChainPosition(IEnumerable<Hash256> blockHashes, string? clusterId, IEnumerable<string> voters)
    {
        foreach (var hash in blockHashes)
        {
            _blockHashes.Add(hash);
        }

        Height = _blockHashes.Count - 1;
        HeadHash = _blockHashes.Count == 0 ? default : _blockHashes[^1];
        ClusterId = clusterId;
        _voters.UnionWith(voters);
        _voterList = [.. _voters];
    }

    internal void RestoreVoterKeys(VoterKeyHistory history)
    {
        VoterKeys = history;
        foreach (var (voter, key) in history.Eras[^1].Keys)
        {
            _voterKeys[voter] = key;
        }
    }

    internal void RestoreField(string name, FieldType type) => _fields.Add(name, type);

    internal void RestoreKey(string key, KvRecord record) => _kv.Add(key, record);

    internal void RestoreEntry(string id, long height, EntryStatus status, string? reason)
    {
        _entries.Add(id, _entryLog.Count);
        _entryLog.Add(new EntryLogItem(id, height, status, reason));
    }

    internal void RestoreTask(string taskId, IReadOnlyList<TaskClaim> claims)
    {
        var task = new TaskRecord(claims[0]);
        task.Lost.AddRange(claims.Skip(1));
        _tasks.Add(taskId, task);
    }

    internal void RestoreFile(FileRecord file) => _files.Add(file);
}
