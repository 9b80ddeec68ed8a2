namespace ActorChain.Chain.Ledger;

/// <summary>
/// The files and their indexes, kept in step on every add, update and delete. Tag and
/// field=value postings are sorted in result order (date taken, then id), so a tag plus a date
/// range is a range of one posting list: counted by two binary searches, paged without sorting.
/// </summary>
internal sealed partial class FileCatalog
{
    private static readonly Comparer<FileKey> FileOrder = Comparer<FileKey>.Default;
    private static readonly Comparer<NameKey> NameOrder = Comparer<NameKey>.Default;

    private readonly Dictionary<string, FileRecord> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedChunkList<FileKey>> _byTag = new(StringComparer.Ordinal);
    private readonly Dictionary<FieldKey, SortedChunkList<FileKey>> _byField = [];
    private readonly SortedChunkList<FileKey> _byDate = new(FileOrder);
    private readonly Dictionary<int, HashSet<FileRecord>> _byCell = [];
    private readonly SortedChunkList<NameKey> _byName = new(NameOrder);

    public int Count => _files.Count;

    public IEnumerable<FileRecord> Files => _files.Values;

    public bool TryGet(string fileId, out FileRecord file) => _files.TryGetValue(fileId, out file!);

    public void Add(FileRecord file)
    {
        _files.Add(file.FileId, file);
        Index(file);
    }

    public void Replace(FileRecord current, FileRecord updated)
    {
        Unindex(current);
        _files[updated.FileId] = updated;
        Index(updated);
    }

    public void Remove(FileRecord file)
    {
        _files.Remove(file.FileId);
        Unindex(file);
    }

    /// <summary>
    /// The field index keys of a value: one per tag for a <c>tags</c> field (so a single tag finds
    /// the file), the value itself otherwise. A field name has one type, so keys never collide.
    /// </summary>
    internal static IEnumerable<FieldKey> FieldKeys(string name, FieldValue value) =>
        value.Type == FieldType.Tags
            ? value.AsTags.Select(tag => new FieldKey(name, FieldValue.String(tag)))
            : [new FieldKey(name, value)];

    private void Index(FileRecord file)
    {
        var key = file.SortKey;
        _byDate.Add(key);
        foreach (var tag in file.Tags)
        {
            Posting(_byTag, tag).Add(key);
        }

        foreach (var (name, value) in file.Fields)
        {
            foreach (var fieldKey in FieldKeys(name, value))
            {
                Posting(_byField, fieldKey).Add(key);
            }
        }

        if (file.Location is { } location)
        {
            var cell = GeoGrid.CellOf(location);
            if (!_byCell.TryGetValue(cell, out var ids))
            {
                _byCell.Add(cell, ids = []);
            }

            ids.Add(file);
        }

        _byName.Add(new NameKey(file.NameKey, file));
    }

    private void Unindex(FileRecord file)
    {
        var key = file.SortKey;
        _byDate.Remove(key);
        foreach (var tag in file.Tags)
        {
            Unpost(_byTag, tag, key);
        }

        foreach (var (name, value) in file.Fields)
        {
            foreach (var fieldKey in FieldKeys(name, value))
            {
                Unpost(_byField, fieldKey, key);
            }
        }

        if (file.Location is { } location)
        {
            var cell = GeoGrid.CellOf(location);
            var ids = _byCell[cell];
            ids.Remove(file);
            if (ids.Count == 0)
            {
                _byCell.Remove(cell);
            }
        }

        _byName.Remove(new NameKey(file.NameKey, file));
    }

    private static SortedChunkList<FileKey> Posting<TKey>(Dictionary<TKey, SortedChunkList<FileKey>> index, TKey key)
        where TKey : notnull
    {
        if (!index.TryGetValue(key, out var list))
        {
            index.Add(key, list = new SortedChunkList<FileKey>(FileOrder));
        }

        return list;
    }

    // An empty posting list is dropped, so the index holds exactly what the files say (the digest checks it).
    private static void Unpost<TKey>(Dictionary<TKey, SortedChunkList<FileKey>> index, TKey key, FileKey file)
        where TKey : notnull
    {
        var list = index[key];
        list.Remove(file);
        if (list.Count == 0)
        {
            index.Remove(key);
        }
    }
}

internal readonly record struct FieldKey(string Name, FieldValue Value);
