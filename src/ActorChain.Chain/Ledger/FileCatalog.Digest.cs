namespace ActorChain.Chain.Ledger;

internal sealed partial class FileCatalog
{
    public void WriteDigest(DigestWriter digest)
    {
        var ids = _files.Keys.ToArray();
        Array.Sort(ids, StringComparer.Ordinal);
        digest.WriteInt64(ids.Length);
        foreach (var id in ids)
        {
            var file = _files[id];
            digest.WriteBytes(file.Added.Encode());
            digest.WriteInt64(file.Tags.Count);
            foreach (var tag in file.Tags)
            {
                digest.WriteText(tag);
            }

            digest.WriteBytes(FieldBytes(file.Fields));
            digest.WriteInt64(file.AddedHeight);
            digest.WriteHash(file.AddedBlockHash);
            digest.WriteText(file.AddedEntryId);
            digest.WriteInt64(file.UpdatedHeight);
            digest.WriteHash(file.UpdatedBlockHash);
            digest.WriteText(file.UpdatedEntryId);
        }

        WritePosting(digest, _byDate);
        var tags = _byTag.Keys.ToArray();
        Array.Sort(tags, StringComparer.Ordinal);
        digest.WriteInt64(tags.Length);
        foreach (var tag in tags)
        {
            digest.WriteText(tag);
            WritePosting(digest, _byTag[tag]);
        }

        var fieldKeys = _byField.Keys.Select(key => (Key: key, Bytes: FieldBytes([new(key.Name, key.Value)]))).ToArray();
        Array.Sort(fieldKeys, static (a, b) => a.Bytes.AsSpan().SequenceCompareTo(b.Bytes));
        digest.WriteInt64(fieldKeys.Length);
        foreach (var (key, bytes) in fieldKeys)
        {
            digest.WriteBytes(bytes);
            WritePosting(digest, _byField[key]);
        }

        var cells = _byCell.Keys.ToArray();
        Array.Sort(cells);
        digest.WriteInt64(cells.Length);
        foreach (var cell in cells)
        {
            var cellIds = _byCell[cell].Select(static f => f.FileId).ToArray();
            Array.Sort(cellIds, StringComparer.Ordinal);
            digest.WriteInt64(cell);
            digest.WriteInt64(cellIds.Length);
            foreach (var id in cellIds)
            {
                digest.WriteText(id);
            }
        }

        digest.WriteInt64(_byName.Count);
        foreach (var name in _byName.Range(0, _byName.Count))
        {
            digest.WriteText(name.Name);
            digest.WriteText(name.FileId);
        }
    }

    private static void WritePosting(DigestWriter digest, SortedChunkList<FileKey> list)
    {
        digest.WriteInt64(list.Count);
        foreach (var key in list.Range(0, list.Count))
        {
            digest.WriteInt64(key.Date);
            digest.WriteText(key.FileId);
        }
    }

    private static byte[] FieldBytes(IReadOnlyCollection<KeyValuePair<string, FieldValue>> sortedFields)
    {
        var writer = new PayloadBuilder();
        PayloadCodec.WriteFields(writer, sortedFields);
        return writer.ToArray();
    }
}
