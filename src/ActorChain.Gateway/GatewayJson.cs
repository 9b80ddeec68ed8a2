using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ActorChain.Chain.Ledger;

namespace ActorChain.Gateway;

/// <summary>The <c>File</c> body of docs/http-api.md.</summary>
internal sealed record FileView(
    string FileId,
    string Sha256,
    long Size,
    string FileName,
    string ContentType,
    string[] Tags,
    Dictionary<string, JsonNode?> Fields,
    MediaView? Media,
    long Height,
    string BlockHash,
    string EntryId,
    long UpdatedHeight,
    string UpdatedBlockHash)
{
    public static FileView Of(FileRecord file) => new(
        file.FileId,
        file.Sha256.ToString(),
        file.Size,
        file.FileName,
        file.ContentType,
        [.. file.Tags],
        file.Fields.ToDictionary(f => f.Key, f => (JsonNode?)GatewayJson.ToJson(f.Value), StringComparer.Ordinal),
        MediaView.Of(file.Media),
        file.AddedHeight,
        file.AddedBlockHash.ToString(),
        file.AddedEntryId,
        file.UpdatedHeight,
        file.UpdatedBlockHash.ToString());
}

internal sealed record MediaView(string? TakenAt, string? CameraMake, string? CameraModel, double? Latitude, double? Longitude, int? Width, int? Height)
{
    public static MediaView? Of(MediaMetadata? media) => media is null
        ? null
        : new MediaView(
            media.TakenAtUnixMs is { } taken ? GatewayJson.FormatDate(taken) : null,
            media.CameraMake,
            media.CameraModel,
            media.Location?.Latitude,
            media.Location?.Longitude,
            media.Width,
            media.Height);
}

internal sealed record SearchResultView(int Total, int Skip, int Take, FileView[] Items);

internal sealed record FileDeletedView(string FileId, long Height, string BlockHash, string EntryId);

internal sealed record FieldView(string Name, string Type);

internal sealed record FieldDefinedView(string Name, string Type, long Height);

internal sealed record TaskClaimView(string TaskId, string Winner, long Height, bool Won);

internal sealed record TaskView(string TaskId, string Winner, long Height);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FileView))]
[JsonSerializable(typeof(SearchResultView))]
[JsonSerializable(typeof(FileDeletedView))]
[JsonSerializable(typeof(FieldView[]))]
[JsonSerializable(typeof(FieldDefinedView))]
[JsonSerializable(typeof(TaskClaimView))]
[JsonSerializable(typeof(TaskView))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;

internal static class GatewayJson
{
    /// <summary>ISO 8601 UTC, milliseconds only when there are some: <c>2024-07-14T09:30:00Z</c>.</summary>
    public static string FormatDate(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFF'Z'", CultureInfo.InvariantCulture);

    public static JsonNode ToJson(FieldValue value) => value.Type switch
    {
        FieldType.String => JsonValue.Create(value.AsString),
        FieldType.Number => JsonValue.Create(value.AsNumber),
        FieldType.Date => JsonValue.Create(FormatDate(value.AsDateUnixMs)),
        FieldType.Geo => new JsonObject { ["lat"] = value.AsGeo.Latitude, ["lon"] = value.AsGeo.Longitude },
        _ => new JsonArray([.. value.AsTags.Select(t => (JsonNode?)JsonValue.Create(t))]),
    };

    /// <summary>A field value from its JSON form in a request; the error says what was expected.</summary>
    public static bool TryReadValue(string name, FieldType type, JsonElement json, out FieldValue? value, out string? error)
    {
        value = null;
        error = null;
        try
        {
            switch (type)
            {
                case FieldType.String when json.ValueKind == JsonValueKind.String:
                    value = FieldValue.String(json.GetString()!);
                    break;
                case FieldType.Number when json.ValueKind == JsonValueKind.Number && json.TryGetDouble(out var number):
                    value = FieldValue.Number(number);
                    break;
                case FieldType.Date when json.ValueKind == JsonValueKind.String:
                    if (!GatewayDates.TryParse(json.GetString(), endOfDay: false, out var ms))
                    {
                        error = $"field '{name}' is a date: an ISO 8601 date or date-time such as \"2024-07-14T09:30:00Z\", not \"{json.GetString()}\"";
                        return false;
                    }

                    value = FieldValue.Date(ms);
                    break;
                case FieldType.Geo when json.ValueKind == JsonValueKind.Object:
                    value = ReadGeo(name, json);
                    break;
                case FieldType.Tags when json.ValueKind == JsonValueKind.Array:
                    var tags = new List<string>();
                    foreach (var tag in json.EnumerateArray())
                    {
                        if (tag.ValueKind != JsonValueKind.String)
                        {
                            error = $"field '{name}' is a list of tags: every item is a string, not {tag.ValueKind.ToString().ToLowerInvariant()}";
                            return false;
                        }

                        tags.Add(tag.GetString()!);
                    }

                    value = FieldValue.Tags(tags);
                    break;
            }
        }
        catch (ArgumentException e)
        {
            error = $"field '{name}': {e.Message}";
            return false;
        }

        if (value is null)
        {
            error = $"field '{name}' holds {type.ToWireName()} values ({Example(type)}), not a JSON {json.ValueKind.ToString().ToLowerInvariant()}";
            return false;
        }

        return true;
    }

    private static FieldValue? ReadGeo(string name, JsonElement json)
    {
        double? lat = null, lon = null;
        foreach (var property in json.EnumerateObject())
        {
            var target = property.Name switch
            {
                "lat" or "latitude" => 0,
                "lon" or "longitude" => 1,
                _ => throw new ArgumentException($"a geo value has only 'lat' and 'lon', not '{property.Name}'"),
            };
            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDouble(out var degrees))
            {
                throw new ArgumentException($"'{property.Name}' of field '{name}' is a number of degrees");
            }

            if (target == 0)
            {
                lat = degrees;
            }
            else
            {
                lon = degrees;
            }
        }

        return lat is { } la && lon is { } lo
            ? FieldValue.Geo(la, lo)
            : throw new ArgumentException("a geo value needs both 'lat' and 'lon'");
    }

    private static string Example(FieldType type) => type switch
    {
        FieldType.String => "\"text\"",
        FieldType.Number => "12.5",
        FieldType.Date => "\"2024-07-14T09:30:00Z\"",
        FieldType.Geo => "{\"lat\": 48.85, \"lon\": 2.35}",
        _ => "[\"a\", \"b\"]",
    };
}

/// <summary>ISO 8601 dates and date-times as query parameters and JSON values take them.</summary>
internal static class GatewayDates
{
    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm",
    ];

    /// <summary>
    /// A date-time without a zone is UTC. A bare date (<c>2024-07-14</c>) is that day's first
    /// millisecond, or with <paramref name="endOfDay"/> its last, so <c>to=2024-07-14</c> includes the day.
    /// </summary>
    public static bool TryParse(string? text, bool endOfDay, out long unixMs)
    {
        unixMs = 0;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        const DateTimeStyles Styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        if (DateTimeOffset.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, Styles, out var day))
        {
            unixMs = day.ToUnixTimeMilliseconds() + (endOfDay ? TimeSpan.FromDays(1).Ticks / TimeSpan.TicksPerMillisecond - 1 : 0);
            return true;
        }

        if (DateTimeOffset.TryParseExact(text, DateTimeFormats, CultureInfo.InvariantCulture, Styles, out var moment))
        {
            unixMs = moment.ToUnixTimeMilliseconds();
            return true;
        }

        return false;
    }
}
