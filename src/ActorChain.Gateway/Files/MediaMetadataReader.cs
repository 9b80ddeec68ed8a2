using System.Globalization;
using ActorChain.Chain.Ledger;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Jpeg;
using MetadataExtractor.Formats.Png;

namespace ActorChain.Gateway.Files;

/// <summary>
/// Date taken, camera, position and size of a JPEG, PNG or HEIC/HEIF photo, read with
/// MetadataExtractor. Every value is checked against the ledger's rules on its own, so one bad
/// tag drops that value, not the upload: metadata comes from whoever made the file.
/// </summary>
internal static class MediaMetadataReader
{
    private static readonly HashSet<string> Readable = new(StringComparer.OrdinalIgnoreCase)
    {
        "image/jpeg", "image/png", "image/heic", "image/heif",
    };

    // EXIF 2.31's OffsetTimeOriginal, which MetadataExtractor 2.4.3 has no constant for.
    private const int TagOffsetTimeOriginal = 0x9011;

    public static bool CanRead(string contentType) => Readable.Contains(contentType);

    /// <summary>The facts found in <paramref name="image"/> (a seekable prefix of the file), or null when there are none.</summary>
    /// <exception cref="ImageProcessingException">The bytes are not an image MetadataExtractor understands.</exception>
    /// <exception cref="IOException">The bytes end early.</exception>
    public static MediaMetadata? Read(Stream image)
    {
        var directories = ImageMetadataReader.ReadMetadata(image);
        var ifd0 = directories.OfType<ExifIfd0Directory>().FirstOrDefault();
        var exif = directories.OfType<ExifSubIfdDirectory>().FirstOrDefault();
        var gps = directories.OfType<GpsDirectory>().FirstOrDefault();

        var taken = TakenAt(exif, ifd0);
        var make = Text(ifd0?.GetDescription(ExifDirectoryBase.TagMake), LedgerLimits.MaxCameraTextBytes);
        var model = Text(ifd0?.GetDescription(ExifDirectoryBase.TagModel), LedgerLimits.MaxCameraTextBytes);
        var location = Location(gps);
        var (width, height) = Size(directories, exif);
        return taken is null && make is null && model is null && location is null && width is null && height is null
            ? null
            : new MediaMetadata(taken, make, model, location, width, height);
    }

    private static long? TakenAt(ExifSubIfdDirectory? exif, ExifIfd0Directory? ifd0)
    {
        DateTime local = default;
        var found = (exif?.TryGetDateTime(ExifDirectoryBase.TagDateTimeOriginal, out local) ?? false)
            || (exif?.TryGetDateTime(ExifDirectoryBase.TagDateTimeDigitized, out local) ?? false)
            || (ifd0?.TryGetDateTime(ExifDirectoryBase.TagDateTime, out local) ?? false);
        if (!found || local.Year < 1)
        {
            return null;
        }

        // EXIF dates are the camera's wall clock; OffsetTimeOriginal (EXIF 2.31) says which zone. Without it, UTC is the least wrong guess.
        var offset = TimeSpan.Zero;
        if (exif?.GetString(TagOffsetTimeOriginal) is { } zone
            && TimeSpan.TryParseExact(zone.TrimStart('+'), @"hh\:mm", CultureInfo.InvariantCulture, out var parsed))
        {
            offset = zone.StartsWith('-') ? -parsed : parsed;
        }

        try
        {
            var ms = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset).ToUnixTimeMilliseconds();
            return ms is >= LedgerLimits.MinDateUnixMs and <= LedgerLimits.MaxDateUnixMs ? ms : null;
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static GeoPoint? Location(GpsDirectory? gps)
    {
        var location = gps?.GetGeoLocation();
        if (location is null || location.IsZero
            || !double.IsFinite(location.Latitude) || location.Latitude is < -90 or > 90
            || !double.IsFinite(location.Longitude) || location.Longitude is < -180 or > 180)
        {
            return null;
        }

        return new GeoPoint(location.Latitude, location.Longitude);
    }

    private static (int? Width, int? Height) Size(IReadOnlyList<MetadataExtractor.Directory> directories, ExifSubIfdDirectory? exif)
    {
        int? width = null, height = null;
        if (directories.OfType<JpegDirectory>().FirstOrDefault() is { } jpeg)
        {
            width = Dimension(jpeg, JpegDirectory.TagImageWidth);
            height = Dimension(jpeg, JpegDirectory.TagImageHeight);
        }
        else if (directories.OfType<PngDirectory>().FirstOrDefault() is { } png)
        {
            width = Dimension(png, PngDirectory.TagImageWidth);
            height = Dimension(png, PngDirectory.TagImageHeight);
        }

        if (exif is not null)
        {
            width ??= Dimension(exif, ExifDirectoryBase.TagExifImageWidth);
            height ??= Dimension(exif, ExifDirectoryBase.TagExifImageHeight);
        }

        return (width, height);
    }

    private static int? Dimension(MetadataExtractor.Directory directory, int tag) =>
        directory.TryGetInt32(tag, out var value) && value is >= 1 and <= LedgerLimits.MaxImageDimension ? value : null;

    private static string? Text(string? value, int maxBytes)
    {
        var text = value?.Trim().TrimEnd('\0').Trim();
        if (string.IsNullOrEmpty(text) || text.AsSpan().ContainsAnyInRange('\u0000', '\u001f'))
        {
            return null;
        }

        while (System.Text.Encoding.UTF8.GetByteCount(text) > maxBytes)
        {
            text = char.IsLowSurrogate(text[^1]) && text.Length > 1 ? text[..^2] : text[..^1];
        }

        return text;
    }
}
