using System.Collections.Immutable;

namespace ActorChain.Chain.Ledger;

/// <summary>A file as the ledger knows it: immutable, replaced as a whole when its metadata changes.</summary>
public sealed class FileRecord
{
    private FileRecord(
        FileAddPayload added, ImmutableSortedSet<string> tags, ImmutableSortedDictionary<string, FieldValue> fields,
        long addedHeight, Hash256 addedBlockHash, string addedEntryId, long updatedHeight, Hash256 updatedBlockHash, string updatedEntryId)
    {
        Added = added;
        Tags = tags;
        Fields = fields;
        AddedHeight = addedHeight;
        AddedBlockHash = addedBlockHash;
        AddedEntryId = addedEntryId;
        UpdatedHeight = updatedHeight;
        UpdatedBlockHash = updatedBlockHash;
        UpdatedEntryId = updatedEntryId;
        NameKey = added.FileName.ToUpperInvariant();
        SortKey = new FileKey(added.Media?.TakenAtUnixMs ?? FileKey.Undated, this);
    }

    public string FileId => Added.FileId;

    public Hash256 Sha256 => Added.Sha256;

    public long Size => Added.Size;

    public string FileName => Added.FileName;

    public string ContentType => Added.ContentType;

    public MediaMetadata? Media => Added.Media;

    public long? TakenAtUnixMs => Added.Media?.TakenAtUnixMs;

    public GeoPoint? Location => Added.Media?.Location;

    /// <summary>The current tags (ordinal order), after every file.meta.</summary>
    public ImmutableSortedSet<string> Tags { get; }

    /// <summary>The current field values by name (ordinal order), after every file.meta.</summary>
    public ImmutableSortedDictionary<string, FieldValue> Fields { get; }

    public long AddedHeight { get; }

    public Hash256 AddedBlockHash { get; }

    public string AddedEntryId { get; }

    /// <summary>Where the last change (add or meta) was recorded; equal to the Added* values until a file.meta.</summary>
    public long UpdatedHeight { get; }

    public Hash256 UpdatedBlockHash { get; }

    public string UpdatedEntryId { get; }

    internal FileAddPayload Added { get; }

    /// <summary>The file name upper-cased (invariant): the name index's case-insensitive ordinal key.</summary>
    internal string NameKey { get; }

    internal FileKey SortKey { get; }

    internal static FileRecord Create(FileAddPayload added, long height, Hash256 blockHash, string entryId) =>
        new(added, added.Tags, added.Fields, height, blockHash, entryId, height, blockHash, entryId);

    internal FileRecord WithMetadata(
        ImmutableSortedSet<string> tags, ImmutableSortedDictionary<string, FieldValue> fields, long height, Hash256 blockHash, string entryId) =>
        new(Added, tags, fields, AddedHeight, AddedBlockHash, AddedEntryId, height, blockHash, entryId);

    public override string ToString() => $"file {FileId} '{FileName}' ({Size} bytes, {Tags.Count} tags)";
}

/// <summary>
/// The order of search results: date taken, undated files last, then file id (ordinal). It holds
/// the record itself so a posting needs no lookup; a changed file is unindexed and indexed again.
/// </summary>
internal readonly record struct FileKey(long Date, FileRecord File) : IComparable<FileKey>
{
    public const long Undated = long.MaxValue;

    public string FileId => File.FileId;

    public int CompareTo(FileKey other)
    {
        var byDate = Date.CompareTo(other.Date);
        return byDate != 0 ? byDate : string.CompareOrdinal(File.FileId, other.File.FileId);
    }
}

internal readonly record struct NameKey(string Name, FileRecord File) : IComparable<NameKey>
{
    public string FileId => File.FileId;

    public int CompareTo(NameKey other)
    {
        var byName = string.CompareOrdinal(Name, other.Name);
        return byName != 0 ? byName : string.CompareOrdinal(File.FileId, other.File.FileId);
    }
}
