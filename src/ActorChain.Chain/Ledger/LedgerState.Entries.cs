using System.Runtime.InteropServices;
using ActorChain.Chain.Signing;

namespace ActorChain.Chain.Ledger;

public sealed partial class LedgerState
{
    /// <summary>Applies one new entry; returns its status and, unless applied, why. Validates fully before it changes anything.</summary>
    private EntryStatus Dispatch(Entry entry, out string? reason)
    {
        if (entry.Kind == EntryKind.TaskClaim)
        {
            return ApplyTaskClaim(entry, out reason);
        }

        reason = entry.Kind switch
        {
            EntryKind.KvPut => ApplyKvPut(entry),
            EntryKind.KvDelete => ApplyKvDelete(entry),
            EntryKind.FileAdd => ApplyFileAdd(entry),
            EntryKind.FileMeta => ApplyFileMeta(entry),
            EntryKind.FileDelete => ApplyFileDelete(entry),
            EntryKind.FieldDefine => ApplyFieldDefine(entry),
            EntryKind.VoterAdd => ApplyVoterAdd(entry),
            EntryKind.VoterRemove => ApplyVoterRemove(entry),
            EntryKind.Genesis => ApplyGenesis(entry),
            _ => $"entry kind {(byte)entry.Kind} is unknown",
        };
        return reason is null ? EntryStatus.Applied : EntryStatus.Rejected;
    }

    private string? ApplyKvPut(Entry entry)
    {
        if (!KvPutPayload.TryRead(entry.Payload, out var key, out var value, out var error))
        {
            return error;
        }

        CollectionsMarshal.GetValueRefOrAddDefault(_kv, key, out _) = new KvRecord(value, Height, entry.Id);
        return null;
    }

    private string? ApplyKvDelete(Entry entry)
    {
        var payload = KvDeletePayload.Decode(entry.Payload.Span);
        return _kv.Remove(payload.Key) ? null : $"there is no key '{payload.Key}' to delete";
    }

    private string? ApplyFileAdd(Entry entry)
    {
        var payload = FileAddPayload.Decode(entry.Payload.Span);
        if (_files.TryGet(payload.FileId, out _))
        {
            return $"file '{payload.FileId}' already exists";
        }

        if (CheckFields(payload.Fields) is { } error)
        {
            return error;
        }

        _files.Add(FileRecord.Create(payload, Height, HeadHash, entry.Id));
        return null;
    }

    private string? ApplyFileMeta(Entry entry)
    {
        var payload = FileMetaPayload.Decode(entry.Payload.Span);
        if (!_files.TryGet(payload.FileId, out var file))
        {
            return $"there is no file '{payload.FileId}'";
        }

        if (CheckFields(payload.SetFields) is { } error)
        {
            return error;
        }

        var tags = file.Tags.Except(payload.RemoveTags).Union(payload.AddTags);
        if (tags.Count > LedgerLimits.MaxTagsPerFile)
        {
            return $"file '{payload.FileId}' would have {tags.Count} tags; at most {LedgerLimits.MaxTagsPerFile} are allowed";
        }

        var fields = file.Fields.RemoveRange(payload.ClearFields).SetItems(payload.SetFields);
        if (fields.Count > LedgerLimits.MaxFieldsPerFile)
        {
            return $"file '{payload.FileId}' would have {fields.Count} fields; at most {LedgerLimits.MaxFieldsPerFile} are allowed";
        }

        _files.Replace(file, file.WithMetadata(tags, fields, Height, HeadHash, entry.Id));
        return null;
    }

    private string? ApplyFileDelete(Entry entry)
    {
        var payload = FileDeletePayload.Decode(entry.Payload.Span);
        if (!_files.TryGet(payload.FileId, out var file))
        {
            return $"there is no file '{payload.FileId}' to delete";
        }

        _files.Remove(file);
        return null;
    }

    /// <summary>Every value must belong to a defined field of its type.</summary>
    private string? CheckFields(IEnumerable<KeyValuePair<string, FieldValue>> fields)
    {
        foreach (var (name, value) in fields)
        {
            if (!_fields.TryGetValue(name, out var type))
            {
                return $"field '{name}' is not defined";
            }

            if (value.Type != type)
            {
                return $"field '{name}' holds {type.ToWireName()} values, not {value.Type.ToWireName()}";
            }
        }

        return null;
    }

    /// <summary>Defining a field again with the same type changes nothing and is accepted; another type is rejected.</summary>
    private string? ApplyFieldDefine(Entry entry)
    {
        var payload = FieldDefinePayload.Decode(entry.Payload.Span);
        if (_fields.TryGetValue(payload.Name, out var existing))
        {
            return existing == payload.Type
                ? null
                : $"field '{payload.Name}' is already defined as {existing.ToWireName()}; it cannot become {payload.Type.ToWireName()}";
        }

        _fields.Add(payload.Name, payload.Type);
        return null;
    }

    private EntryStatus ApplyTaskClaim(Entry entry, out string? reason)
    {
        var payload = TaskClaimPayload.Decode(entry.Payload.Span);
        var claim = new TaskClaim(payload.TaskId, payload.Claimant, Height, entry.Id);
        if (_tasks.TryGetValue(payload.TaskId, out var task))
        {
            task.Lost.Add(claim);
            reason = $"task '{payload.TaskId}' was already won by {task.Winner.NodeId} at height {task.Winner.Height}";
            return EntryStatus.Lost;
        }

        _tasks.Add(payload.TaskId, new TaskRecord(claim));
        reason = null;
        return EntryStatus.Applied;
    }

    private string? ApplyVoterAdd(Entry entry)
    {
        var payload = VoterAddPayload.Decode(entry.Payload.Span);
        if (VoterKeys is not null && payload.PublicKey is null)
        {
            return $"the blocks of this chain are signed: voter.add of {payload.NodeId} must carry its public key (payload version {VoterAddPayload.KeyedVersion})";
        }

        if (_voterChangedInBlock)
        {
            return "only one voter change is applied per block";
        }

        if (_voters.Contains(payload.NodeId))
        {
            return $"{payload.NodeId} is already a voter";
        }

        if (_voters.Count >= GenesisPayload.MaxVoters)
        {
            return $"a cluster has at most {GenesisPayload.MaxVoters} voters";
        }

        _voters.Add(payload.NodeId);
        if (VoterKeys is not null)
        {
            _voterKeys[payload.NodeId] = payload.PublicKey!;
        }

        VotersChanged();
        return null;
    }

    private string? ApplyVoterRemove(Entry entry)
    {
        var payload = VoterRemovePayload.Decode(entry.Payload.Span);
        if (_voterChangedInBlock)
        {
            return "only one voter change is applied per block";
        }

        if (!_voters.Contains(payload.NodeId))
        {
            return $"{payload.NodeId} is not a voter";
        }

        if (_voters.Count == 1)
        {
            return $"{payload.NodeId} is the last voter";
        }

        _voters.Remove(payload.NodeId);
        _voterKeys.Remove(payload.NodeId);
        VotersChanged();
        return null;
    }

    private string? ApplyGenesis(Entry entry)
    {
        if (Height != 0 || ClusterId is not null)
        {
            return "a genesis entry is only valid as the first entry of block 0";
        }

        var payload = GenesisPayload.Decode(entry.Payload.Span);
        ClusterId = payload.ClusterId;
        _voters.UnionWith(payload.Voters);
        _voterList = [.. _voters];
        if (payload.VoterKeys is { } keys)
        {
            foreach (var (voter, key) in keys)
            {
                _voterKeys[voter] = key;
            }

            VoterKeys = VoterKeyHistory.Start(_voterKeys);
        }

        return null;
    }

    private void VotersChanged()
    {
        _voterChangedInBlock = true;
        _voterList = [.. _voters];

        // A change in block h is effective from h + 1, like the voter set itself.
        VoterKeys = VoterKeys?.With(Height + 1, _voterKeys);
    }
}
