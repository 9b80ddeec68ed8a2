using System.Text;

namespace ActorChain.Chain.Ledger;

/// <summary>
/// The value rules shared by payload constructors (which throw <see cref="ArgumentException"/>)
/// and decoders (which turn the same message into a <see cref="ChainFormatException"/>).
/// </summary>
internal static class LedgerRules
{
    public static string Text(string? value, int maxBytes, string what, bool allowControl = false)
    {
        if (value is null)
        {
            throw new ArgumentException($"The {what} is missing.");
        }

        if (value.Length == 0)
        {
            throw new ArgumentException($"The {what} must not be empty.");
        }

        int bytes;
        try
        {
            bytes = ChainLimits.Utf8.GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            throw new ArgumentException($"The {what} is not valid Unicode text.");
        }

        if (bytes > maxBytes)
        {
            throw new ArgumentException($"The {what} is at most {maxBytes} UTF-8 bytes, not {bytes}.");
        }

        if (!allowControl && value.AsSpan().ContainsAnyInRange('\u0000', '\u001f'))
        {
            throw new ArgumentException($"The {what} must not contain control characters.");
        }

        return value;
    }

    public static string Key(string? key) => Text(key, LedgerLimits.MaxKeyBytes, "key", allowControl: true);

    public static string FileId(string? fileId)
    {
        Text(fileId, LedgerLimits.MaxFileIdBytes, "file id");
        foreach (var c in fileId!)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                throw new ArgumentException($"The file id '{fileId}' may only hold ASCII letters, digits, '-', '_' and '.'.");
            }
        }

        return fileId;
    }

    public static string Tag(string? tag)
    {
        Text(tag, LedgerLimits.MaxTagBytes, "tag");
        if (tag!.Contains(',', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The tag '{tag}' must not contain a comma.");
        }

        if (char.IsWhiteSpace(tag[0]) || char.IsWhiteSpace(tag[^1]))
        {
            throw new ArgumentException($"The tag '{tag}' must not start or end with white space.");
        }

        return tag;
    }

    public static string FieldName(string? name)
    {
        if (name is null || name.Length == 0 || name.Length > LedgerLimits.MaxFieldNameLength)
        {
            throw new ArgumentException($"A field name is 1 to {LedgerLimits.MaxFieldNameLength} characters, not '{name}'.");
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-'))
            {
                throw new ArgumentException($"The field name '{name}' may only hold a-z, 0-9, '_' and '-'.");
            }
        }

        return name;
    }

    public static string NodeId(string? nodeId, string what) => Text(nodeId, Entry.MaxNodeIdBytes, what);

    public static long Date(long unixMs, string what)
    {
        if (unixMs < LedgerLimits.MinDateUnixMs || unixMs > LedgerLimits.MaxDateUnixMs)
        {
            throw new ArgumentException($"The {what} {unixMs} is outside years 1 to 9999 (Unix ms).");
        }

        return unixMs;
    }

    public static double Latitude(double latitude) =>
        double.IsFinite(latitude) && latitude is >= -90 and <= 90
            ? latitude + 0.0
            : throw new ArgumentException($"A latitude is within [-90, 90], not {latitude}.");

    public static double Longitude(double longitude) =>
        double.IsFinite(longitude) && longitude is >= -180 and <= 180
            ? longitude + 0.0
            : throw new ArgumentException($"A longitude is within [-180, 180], not {longitude}.");

    /// <summary>Sorted (ordinal) and checked: the one canonical order every node encodes and indexes.</summary>
    public static string[] Tags(IEnumerable<string>? tags, string what)
    {
        if (tags is null)
        {
            return [];
        }

        var sorted = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            sorted.Add(Tag(tag));
        }

        if (sorted.Count > LedgerLimits.MaxTagsPerFile)
        {
            throw new ArgumentException($"The {what} hold at most {LedgerLimits.MaxTagsPerFile} tags, not {sorted.Count}.");
        }

        return [.. sorted];
    }

    public static Exception ToFormat(ArgumentException e, string what) => new ChainFormatException($"{what}: {e.Message}", e);
}
