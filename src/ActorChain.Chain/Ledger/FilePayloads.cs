using System.Collections.Immutable;
using ActorChain.Chain.Canonical;

namespace ActorChain.Chain.Ledger;

/// <summary>
/// <c>file.add</c>: version(1) · file id (u8 length; ASCII letters, digits, <c>-_.</c>) · SHA-256(32) ·
/// size(i64) · file name (u8 length) · content type (u8 length) · tags (u8 count, ascending) ·
/// fields (u8 count, ascending by name, each name + typed value) · media flag(u8) [· media].
/// </summary>
public sealed record FileAddPayload
{
    public FileAddPayload(
        string fileId,
        Hash256 sha256,
        long size,
        string fileName,
        string contentType,
        IEnumerable<string>? tags = null,
        IEnumerable<KeyValuePair<string, FieldValue>>? fields = null,
        MediaMetadata? media = null)
    {
        FileId = LedgerRules.FileId(fileId);
        Sha256 = sha256;
        Size = size >= 0 ? size : throw new ArgumentException($"A file size is not negative ({size}).");
        FileName = LedgerRules.Text(fileName, LedgerLimits.MaxFileNameBytes, "file name");
        ContentType = LedgerRules.Text(contentType, LedgerLimits.MaxContentTypeBytes, "content type");
        Tags = ImmutableSortedSet.Create(StringComparer.Ordinal, LedgerRules.Tags(tags, "file's tags"));
        Fields = FileFields.Build(fields, "file's fields");
        Media = media;
    }

    public string FileId { get; }

    public Hash256 Sha256 { get; }

    public long Size { get; }

    public string FileName { get; }

    public string ContentType { get; }

    public ImmutableSortedSet<string> Tags { get; }

    public ImmutableSortedDictionary<string, FieldValue> Fields { get; }

    public MediaMetadata? Media { get; }

    public byte[] Encode()
    {
        var writer = PayloadCodec.Start(128);
        writer.WriteText(FileId, shortPrefix: true);
        writer.WriteHash(Sha256);
        writer.WriteInt64(Size);
        writer.WriteText(FileName, shortPrefix: true);
        writer.WriteText(ContentType, shortPrefix: true);
        PayloadCodec.WriteTags(writer, Tags);
        PayloadCodec.WriteFields(writer, Fields);
        writer.WriteBool(Media is not null);
        Media?.Write(writer);
        return writer.ToArray();
    }

    /// <exception cref="ChainFormatException">The bytes are not a file.add payload.</exception>
    public static FileAddPayload Decode(ReadOnlySpan<byte> payload) =>
        PayloadCodec.Decode(payload, EntryKind.FileAdd, static (ref CanonicalReader reader) =>
        {
            var fileId = reader.ReadText(shortPrefix: true, LedgerLimits.MaxFileIdBytes, "the file id");
            var sha256 = reader.ReadHash();
            var size = reader.ReadInt64();
            var fileName = reader.ReadText(shortPrefix: true, LedgerLimits.MaxFileNameBytes, "the file name");
            var contentType = reader.ReadText(shortPrefix: true, LedgerLimits.MaxContentTypeBytes, "the content type");
            var tags = PayloadCodec.ReadTags(ref reader, "the file's tags");
            var fields = PayloadCodec.ReadFields(ref reader, "the file's fields");
            var media = PayloadCodec.ReadBool(ref reader, "the media flag") ? MediaMetadata.Read(ref reader) : null;
            return new FileAddPayload(fileId, sha256, size, fileName, contentType, tags, fields, media);
        });

    public bool Equals(FileAddPayload? other) =>
        other is not null
        && FileId == other.FileId && Sha256 == other.Sha256 && Size == other.Size && FileName == other.FileName
        && ContentType == other.ContentType && Tags.SequenceEqual(other.Tags) && FileFields.Equal(Fields, other.Fields)
        && Equals(Media, other.Media);

    public override int GetHashCode() => HashCode.Combine(FileId, Sha256, Size);
}

/// <summary>
/// <c>file.meta</c>: version(1) · file id · tags to add · tags to remove · fields to set · field
/// names to clear (each list ascending). A tag or field may not be both added and removed.
/// </summary>
public sealed record FileMetaPayload
{
    public FileMetaPayload(
        string fileId,
        IEnumerable<string>? addTags = null,
        IEnumerable<string>? removeTags = null,
        IEnumerable<KeyValuePair<string, FieldValue>>? setFields = null,
        IEnumerable<string>? clearFields = null)
    {
        FileId = LedgerRules.FileId(fileId);
        AddTags = ImmutableSortedSet.Create(StringComparer.Ordinal, LedgerRules.Tags(addTags, "tags to add"));
        RemoveTags = ImmutableSortedSet.Create(StringComparer.Ordinal, LedgerRules.Tags(removeTags, "tags to remove"));
        SetFields = FileFields.Build(setFields, "fields to set");
        var clear = ImmutableSortedSet.CreateRange(StringComparer.Ordinal, (clearFields ?? []).Select(LedgerRules.FieldName));
        ClearFields = clear.Count <= LedgerLimits.MaxFieldsPerFile
            ? clear
            : throw new ArgumentException($"A file.meta clears at most {LedgerLimits.MaxFieldsPerFile} fields, not {clear.Count}.");
        if (AddTags.Overlaps(RemoveTags))
        {
            throw new ArgumentException($"The tag '{AddTags.Intersect(RemoveTags).First()}' is both added and removed.");
        }

        if (ClearFields.FirstOrDefault(SetFields.ContainsKey) is { } both)
        {
            throw new ArgumentException($"The field '{both}' is both set and cleared.");
        }
    }

    public string FileId { get; }

    public ImmutableSortedSet<string> AddTags { get; }

    public ImmutableSortedSet<string> RemoveTags { get; }

    public ImmutableSortedDictionary<string, FieldValue> SetFields { get; }

    public ImmutableSortedSet<string> ClearFields { get; }

    public byte[] Encode()
    {
        var writer = PayloadCodec.Start(128);
        writer.WriteText(FileId, shortPrefix: true);
        PayloadCodec.WriteTags(writer, AddTags);
        PayloadCodec.WriteTags(writer, RemoveTags);
        PayloadCodec.WriteFields(writer, SetFields);
        PayloadCodec.WriteNames(writer, ClearFields);
        return writer.ToArray();
    }

    /// <exception cref="ChainFormatException">The bytes are not a file.meta payload.</exception>
    public static FileMetaPayload Decode(ReadOnlySpan<byte> payload) =>
        PayloadCodec.Decode(payload, EntryKind.FileMeta, static (ref CanonicalReader reader) =>
        {
            var fileId = reader.ReadText(shortPrefix: true, LedgerLimits.MaxFileIdBytes, "the file id");
            var add = PayloadCodec.ReadTags(ref reader, "the tags to add");
            var remove = PayloadCodec.ReadTags(ref reader, "the tags to remove");
            var set = PayloadCodec.ReadFields(ref reader, "the fields to set");
            var clear = PayloadCodec.ReadNames(ref reader, "the fields to clear");
            return new FileMetaPayload(fileId, add, remove, set, clear);
        });

    public bool Equals(FileMetaPayload? other) =>
        other is not null && FileId == other.FileId
        && AddTags.SequenceEqual(other.AddTags) && RemoveTags.SequenceEqual(other.RemoveTags)
        && FileFields.Equal(SetFields, other.SetFields) && ClearFields.SequenceEqual(other.ClearFields);

    public override int GetHashCode() => HashCode.Combine(FileId, AddTags.Count, RemoveTags.Count, SetFields.Count, ClearFields.Count);
}

/// <summary><c>file.delete</c>: version(1) · file id.</summary>
public sealed record FileDeletePayload
{
    public FileDeletePayload(string fileId) => FileId = LedgerRules.FileId(fileId);

    public string FileId { get; }

    public byte[] Encode()
    {
        var writer = PayloadCodec.Start();
        writer.WriteText(FileId, shortPrefix: true);
        return writer.ToArray();
    }

    /// <exception cref="ChainFormatException">The bytes are not a file.delete payload.</exception>
    public static FileDeletePayload Decode(ReadOnlySpan<byte> payload) =>
        PayloadCodec.Decode(payload, EntryKind.FileDelete, static (ref CanonicalReader reader) =>
            new FileDeletePayload(reader.ReadText(shortPrefix: true, LedgerLimits.MaxFileIdBytes, "the file id")));
}

internal static class FileFields
{
    public static readonly ImmutableSortedDictionary<string, FieldValue> Empty = ImmutableSortedDictionary.Create<string, FieldValue>(StringComparer.Ordinal);

    public static ImmutableSortedDictionary<string, FieldValue> Build(IEnumerable<KeyValuePair<string, FieldValue>>? fields, string what)
    {
        var builder = Empty.ToBuilder();
        foreach (var (name, value) in fields ?? [])
        {
            ArgumentNullException.ThrowIfNull(value, name);
            if (!builder.TryAdd(LedgerRules.FieldName(name), value))
            {
                throw new ArgumentException($"The {what} name the field '{name}' twice.");
            }
        }

        return builder.Count <= LedgerLimits.MaxFieldsPerFile
            ? builder.ToImmutable()
            : throw new ArgumentException($"The {what} hold at most {LedgerLimits.MaxFieldsPerFile} fields, not {builder.Count}.");
    }

    public static bool Equal(ImmutableSortedDictionary<string, FieldValue> left, ImmutableSortedDictionary<string, FieldValue> right) =>
        left.Count == right.Count && left.Zip(right).All(p => p.First.Key == p.Second.Key && p.First.Value.Equals(p.Second.Value));
}
