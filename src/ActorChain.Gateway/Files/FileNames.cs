using System.Text;
using ActorChain.Chain.Ledger;

namespace ActorChain.Gateway.Files;

/// <summary>What an uploaded file may be called, and its tags as headers and form fields carry them.</summary>
internal static class FileNames
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Null when <paramref name="name"/> is a plain file name: no path, no control characters, 1 to 255 UTF-8 bytes.</summary>
    public static string? Check(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "The file name is missing or empty.";
        }

        if (name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal))
        {
            return $"The file name '{Shorten(name)}' holds a path separator; give the name alone.";
        }

        if (name is "." or "..")
        {
            return $"'{name}' is not a file name.";
        }

        if (name.Any(char.IsControl))
        {
            return "The file name must not contain control characters.";
        }

        int bytes;
        try
        {
            bytes = StrictUtf8.GetByteCount(name);
        }
        catch (EncoderFallbackException)
        {
            return "The file name is not valid Unicode text.";
        }

        return bytes <= LedgerLimits.MaxFileNameBytes
            ? null
            : $"The file name is at most {LedgerLimits.MaxFileNameBytes} UTF-8 bytes, not {bytes}.";
    }

    /// <summary>Header values are ASCII: a name or tag outside it comes percent-encoded (UTF-8), as encodeURIComponent writes it.</summary>
    public static string? Decode(string value)
    {
        try
        {
            return value.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(value) : value;
        }
        catch (UriFormatException)
        {
            return null;
        }
    }

    /// <summary>A comma-separated tag list (empty items dropped); null and an error when a tag breaks the ledger's rules.</summary>
    public static IReadOnlyList<string>? ParseTags(string? text, string source, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var tags = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        if (tags.Count > LedgerLimits.MaxTagsPerFile)
        {
            error = $"{source} names {tags.Count} tags; a file has at most {LedgerLimits.MaxTagsPerFile}.";
            return null;
        }

        try
        {
            _ = FieldValue.Tags(tags);
        }
        catch (ArgumentException e)
        {
            error = $"{source}: {e.Message}";
            return null;
        }

        return tags;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
