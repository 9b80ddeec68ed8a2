namespace ActorChain.Chain.Ledger;

internal sealed partial class FileCatalog
{
    private static readonly FileSearchResult NoFiles = new(0, []);

    /// <summary>
    /// Every tag and field=value condition is a posting list in result order, cut to the date
    /// range by two binary searches. The shortest one drives; the others are merged against it
    /// (sequential reads, no lookups), so a tag plus a date range costs its page, not the archive.
    /// A name-prefix range or the grid cells drive instead when they hold fewer candidates.
    /// </summary>
    public FileSearchResult Search(FileQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var hasDates = query.TakenFromUnixMs is not null || query.TakenToUnixMs is not null;
        var from = query.TakenFromUnixMs ?? long.MinValue;
        var to = query.TakenToUnixMs ?? (FileKey.Undated - 1);
        var postings = new List<PostingRange>(query.Tags.Count + query.Fields.Count);
        foreach (var tag in query.Tags)
        {
            if (!_byTag.TryGetValue(tag, out var list))
            {
                return NoFiles;
            }

            postings.Add(Restrict(list));
        }

        foreach (var condition in query.Fields)
        {
            foreach (var key in FieldKeys(condition.Name, condition.Value))
            {
                if (!_byField.TryGetValue(key, out var list))
                {
                    return NoFiles;
                }

                postings.Add(Restrict(list));
            }
        }

        // Postings and the date range decide everything but names, places and tags-valued field
        // conditions (those compare the whole value with the field's type, so they are filtered).
        var exact = query.NamePrefix is null && query.Near is null && query.Within is null
            && query.Fields.All(static c => c.Value.Type != FieldType.Tags);
        var driver = postings.Count == 0 ? Restrict(_byDate) : postings.MinBy(static p => p.Count);
        if (exact && postings.Count <= 1)
        {
            return PageOfRange(driver, query);
        }

        if (query.NamePrefix is { } prefix)
        {
            var (start, end) = NameRange(prefix.ToUpperInvariant());
            if (end - start < driver.Count)
            {
                return Filter(_byName.Range(start, end - start).Select(static n => n.File), query);
            }
        }

        if (CellsFor(query, out var cellCount) is { } cells && cellCount < driver.Count)
        {
            return Filter(cells.SelectMany(static files => files), query);
        }

        return Intersect(driver, postings, exact ? null : new QueryFilter(query), query);

        PostingRange Restrict(SortedChunkList<FileKey> list) =>
            hasDates ? new PostingRange(list, DateRange(list, from, to)) : new PostingRange(list, (0, list.Count));
    }

    private readonly record struct PostingRange(SortedChunkList<FileKey> List, int Start, int End)
    {
        public PostingRange(SortedChunkList<FileKey> list, (int Start, int End) range)
            : this(list, range.Start, range.End)
        {
        }

        public int Count => End - Start;

        public IEnumerable<FileKey> Items => List.Range(Start, Count);
    }

    private static (int Start, int End) DateRange(SortedChunkList<FileKey> list, long from, long to) =>
        (list.PartitionPoint(from, static (key, bound) => key.Date < bound), list.PartitionPoint(to, static (key, bound) => key.Date <= bound));

    private (int Start, int End) NameRange(string prefix) =>
        (_byName.PartitionPoint(prefix, static (key, p) => string.CompareOrdinal(key.Name, p) < 0),
         _byName.PartitionPoint(prefix, static (key, p) => string.CompareOrdinal(key.Name, p) < 0 || key.Name.StartsWith(p, StringComparison.Ordinal)));

    /// <summary>The grid cells of the smaller geo condition, or null without one.</summary>
    private List<HashSet<FileRecord>>? CellsFor(FileQuery query, out int fileCount)
    {
        List<HashSet<FileRecord>>? best = null;
        fileCount = int.MaxValue;
        foreach (var cover in Covers(query))
        {
            var cells = new List<HashSet<FileRecord>>();
            var count = 0;
            if (cover.CellCount <= _byCell.Count)
            {
                foreach (var cell in cover.Cells())
                {
                    if (_byCell.TryGetValue(cell, out var ids))
                    {
                        cells.Add(ids);
                        count += ids.Count;
                    }
                }
            }
            else
            {
                foreach (var (cell, ids) in _byCell)
                {
                    if (cover.Contains(cell))
                    {
                        cells.Add(ids);
                        count += ids.Count;
                    }
                }
            }

            if (count < fileCount)
            {
                (best, fileCount) = (cells, count);
            }
        }

        return best;
    }

    private static IEnumerable<GeoGrid.Cover> Covers(FileQuery query)
    {
        if (query.Near is { } near)
        {
            yield return GeoGrid.ForCircle(near);
        }

        if (query.Within is { } box)
        {
            yield return GeoGrid.ForBox(box);
        }
    }

    private static FileSearchResult PageOfRange(PostingRange range, FileQuery query)
    {
        if (query.Skip >= range.Count)
        {
            return new FileSearchResult(range.Count, []);
        }

        var items = new List<FileRecord>(Math.Min(query.Take, range.Count - query.Skip));
        foreach (var key in range.List.Range(range.Start + query.Skip, items.Capacity))
        {
            items.Add(key.File);
        }

        return new FileSearchResult(range.Count, items);
    }

    /// <summary>Walks the driver in result order, keeping keys every other posting holds too (a merge: all share one order).</summary>
    private static FileSearchResult Intersect(PostingRange driver, List<PostingRange> postings, QueryFilter? filter, FileQuery query)
    {
        var cursors = postings.Where(p => !ReferenceEquals(p.List, driver.List)).Select(static p => p.Items.GetEnumerator()).ToArray();
        foreach (var cursor in cursors)
        {
            if (!cursor.MoveNext())
            {
                return NoFiles;
            }
        }

        var total = 0;
        var items = new List<FileRecord>();
        foreach (var key in driver.Items)
        {
            var inAll = true;
            foreach (var cursor in cursors)
            {
                int order;
                while ((order = cursor.Current.CompareTo(key)) < 0)
                {
                    if (!cursor.MoveNext())
                    {
                        // This posting has nothing at or after the key: no later key can match.
                        return new FileSearchResult(total, items);
                    }
                }

                if (order > 0)
                {
                    inAll = false;
                    break;
                }
            }

            if (inAll && (filter is null || filter.Matches(key.File)))
            {
                if (total >= query.Skip && items.Count < query.Take)
                {
                    items.Add(key.File);
                }

                total++;
            }
        }

        return new FileSearchResult(total, items);
    }

    private static FileSearchResult Filter(IEnumerable<FileRecord> candidates, FileQuery query)
    {
        var filter = new QueryFilter(query);
        var matches = new List<FileRecord>();
        foreach (var file in candidates)
        {
            if (filter.Matches(file))
            {
                matches.Add(file);
            }
        }

        if (query.Skip >= matches.Count)
        {
            return new FileSearchResult(matches.Count, []);
        }

        matches.Sort(static (a, b) => a.SortKey.CompareTo(b.SortKey));
        return new FileSearchResult(matches.Count, matches.GetRange(query.Skip, Math.Min(query.Take, matches.Count - query.Skip)));
    }

    /// <summary>
    /// The whole query tested on one file: the definition the indexes must agree with. Copied into
    /// arrays and plain fields once, so testing a candidate allocates nothing.
    /// </summary>
    private sealed class QueryFilter(FileQuery query)
    {
        private readonly string[] _tags = [.. query.Tags];
        private readonly FieldCondition[] _fields = [.. query.Fields];
        private readonly bool _hasDates = query.TakenFromUnixMs is not null || query.TakenToUnixMs is not null;
        private readonly long _from = query.TakenFromUnixMs ?? long.MinValue;
        private readonly long _to = query.TakenToUnixMs ?? long.MaxValue;
        private readonly string? _namePrefix = query.NamePrefix?.ToUpperInvariant();
        private readonly GeoCircle? _near = query.Near;
        private readonly GeoBox? _within = query.Within;

        public bool Matches(FileRecord file)
        {
            if (_hasDates && (file.TakenAtUnixMs is not { } taken || taken < _from || taken > _to))
            {
                return false;
            }

            foreach (var tag in _tags)
            {
                if (!file.Tags.Contains(tag))
                {
                    return false;
                }
            }

            foreach (var condition in _fields)
            {
                if (!file.Fields.TryGetValue(condition.Name, out var value) || !value.Satisfies(condition.Value))
                {
                    return false;
                }
            }

            if (_namePrefix is not null && !file.NameKey.StartsWith(_namePrefix, StringComparison.Ordinal))
            {
                return false;
            }

            if (_near is { } near && (file.Location is not { } nearPoint || !near.Contains(nearPoint)))
            {
                return false;
            }

            return _within is not { } box || (file.Location is { } point && box.Contains(point));
        }
    }
}
