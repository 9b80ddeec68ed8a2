namespace ActorChain.Chain.Ledger;

internal sealed partial class FileCatalog
{
    private static readonly FileSearchResult NoFiles = new(0, []);

    /// <summary>
    /// Picks the index with the fewest candidates (posting ranges are counted exactly, grid cells
    /// by their set sizes), then filters the candidates by the whole query.
    /// </summary>
    public FileSearchResult Search(FileQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var hasDates = query.TakenFromUnixMs is not null || query.TakenToUnixMs is not null;
        var from = query.TakenFromUnixMs ?? long.MinValue;
        var to = query.TakenToUnixMs ?? (FileKey.Undated - 1);
        var conditions = query.Tags.Count + query.Fields.Count
            + (query.NamePrefix is null ? 0 : 1) + (query.Near is null ? 0 : 1) + (query.Within is null ? 0 : 1);

        // Ordered candidates: a range of a posting list already in result order.
        var best = _byDate;
        var (bestStart, bestEnd) = hasDates ? DateRange(_byDate, from, to) : (0, _byDate.Count);
        var bestCovers = conditions == 0;
        foreach (var tag in query.Tags)
        {
            if (!_byTag.TryGetValue(tag, out var list))
            {
                return NoFiles;
            }

            Consider(list, covers: conditions == 1);
        }

        foreach (var condition in query.Fields)
        {
            var keys = FieldKeys(condition.Name, condition.Value).ToList();
            foreach (var key in keys)
            {
                if (!_byField.TryGetValue(key, out var list))
                {
                    return NoFiles;
                }

                // A tags query value is checked as a whole against the file's value type, so it never covers.
                Consider(list, covers: conditions == 1 && condition.Value.Type != FieldType.Tags);
            }
        }

        if (bestCovers)
        {
            return PageOfRange(best, bestStart, bestEnd, query);
        }

        // Unordered candidates: a name-prefix range or grid cells, when they are fewer.
        var nameRange = query.NamePrefix is null ? default : NameRange(query.NamePrefix.ToUpperInvariant());
        var cells = CellsFor(query, out var cellCount);
        var bestCount = bestEnd - bestStart;
        if (query.NamePrefix is not null && nameRange.End - nameRange.Start < bestCount && nameRange.End - nameRange.Start <= cellCount)
        {
            return Filter(_byName.From(nameRange.Start).Take(nameRange.End - nameRange.Start).Select(static n => n.FileId), query);
        }

        if (cells is not null && cellCount < bestCount)
        {
            return Filter(cells.SelectMany(static ids => ids), query);
        }

        return FilterOrdered(best, bestStart, bestEnd, query);

        void Consider(SortedChunkList<FileKey> list, bool covers)
        {
            var (start, end) = hasDates ? DateRange(list, from, to) : (0, list.Count);
            if (end - start < bestEnd - bestStart)
            {
                (best, bestStart, bestEnd, bestCovers) = (list, start, end, covers);
            }
        }
    }

    /// <summary>The whole query, tested on one file: the definition the indexes must agree with.</summary>
    internal static bool Matches(FileRecord file, FileQuery query, string? nameKeyPrefix)
    {
        foreach (var tag in query.Tags)
        {
            if (!file.Tags.Contains(tag))
            {
                return false;
            }
        }

        foreach (var condition in query.Fields)
        {
            if (!file.Fields.TryGetValue(condition.Name, out var value) || !value.Satisfies(condition.Value))
            {
                return false;
            }
        }

        if (query.TakenFromUnixMs is not null || query.TakenToUnixMs is not null)
        {
            if (file.TakenAtUnixMs is not { } taken || taken < query.TakenFromUnixMs || taken > query.TakenToUnixMs)
            {
                return false;
            }
        }

        if (nameKeyPrefix is not null && !file.NameKey.StartsWith(nameKeyPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        if (query.Near is { } near && (file.Location is not { } nearPoint || !near.Contains(nearPoint)))
        {
            return false;
        }

        return query.Within is not { } box || (file.Location is { } point && box.Contains(point));
    }

    private static (int Start, int End) DateRange(SortedChunkList<FileKey> list, long from, long to) =>
        (list.PartitionPoint(from, static (key, bound) => key.Date < bound), list.PartitionPoint(to, static (key, bound) => key.Date <= bound));

    private (int Start, int End) NameRange(string prefix) =>
        (_byName.PartitionPoint(prefix, static (key, p) => string.CompareOrdinal(key.Name, p) < 0),
         _byName.PartitionPoint(prefix, static (key, p) => string.CompareOrdinal(key.Name, p) < 0 || key.Name.StartsWith(p, StringComparison.Ordinal)));

    /// <summary>The grid cells of the smaller geo condition, or null without one.</summary>
    private List<HashSet<string>>? CellsFor(FileQuery query, out int fileCount)
    {
        List<HashSet<string>>? best = null;
        fileCount = int.MaxValue;
        foreach (var cover in Covers(query))
        {
            var cells = new List<HashSet<string>>();
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

    private FileSearchResult PageOfRange(SortedChunkList<FileKey> list, int start, int end, FileQuery query)
    {
        var total = end - start;
        if (query.Skip >= total)
        {
            return new FileSearchResult(total, []);
        }

        var items = new List<FileRecord>(Math.Min(query.Take, total - query.Skip));
        foreach (var key in list.From(start + query.Skip).Take(items.Capacity))
        {
            items.Add(_files[key.FileId]);
        }

        return new FileSearchResult(total, items);
    }

    private FileSearchResult FilterOrdered(SortedChunkList<FileKey> list, int start, int end, FileQuery query)
    {
        var prefix = query.NamePrefix?.ToUpperInvariant();
        var total = 0;
        var items = new List<FileRecord>();
        foreach (var key in list.From(start).Take(end - start))
        {
            var file = _files[key.FileId];
            if (Matches(file, query, prefix))
            {
                if (total >= query.Skip && items.Count < query.Take)
                {
                    items.Add(file);
                }

                total++;
            }
        }

        return new FileSearchResult(total, items);
    }

    private FileSearchResult Filter(IEnumerable<string> candidates, FileQuery query)
    {
        var prefix = query.NamePrefix?.ToUpperInvariant();
        var matches = new List<FileRecord>();
        foreach (var id in candidates)
        {
            var file = _files[id];
            if (Matches(file, query, prefix))
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
}
