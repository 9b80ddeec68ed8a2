using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorChain.Cli.Http;

// The bodies of docs/http-api.md, as the CLI reads them; unknown members are ignored so a newer node still parses.
internal sealed record Member(string? NodeId, string Address, string Status, bool Reachable, bool Voter, long Height, string? HeadHash);

internal sealed record MembershipChange(string NodeId, string Address, string Requested);

internal sealed record Head(string NodeId, long Height, string Hash);

internal sealed record BlockEntry(string Id, string Kind, string Origin, long SubmittedAt, int PayloadSize, string? Key);

internal sealed record Block(long Height, string Hash, string PrevHash, long Timestamp, string Proposer, string EntriesRoot, int EntryCount, BlockEntry[] Entries);

internal sealed record VerifyResult(bool Valid, long Height, long? FirstInvalidHeight, string? Reason);

internal sealed record KvWrite(string Key, long Height, string BlockHash, string EntryId);

internal sealed record TaskClaim(string TaskId, string Winner, long Height, bool? Won);

internal sealed record MediaInfo(
    DateTimeOffset? TakenAt, string? CameraMake, string? CameraModel, double? Latitude, double? Longitude, int? Width, int? Height);

internal sealed record StoredFile(
    string FileId,
    string Sha256,
    long Size,
    string? FileName,
    string? ContentType,
    string[]? Tags,
    Dictionary<string, JsonElement>? Fields,
    MediaInfo? Media,
    long Height,
    string? BlockHash,
    string? EntryId,
    long? UpdatedHeight,
    string? UpdatedBlockHash);

internal sealed record SearchResult(int Total, int Skip, int Take, StoredFile[] Items);

internal sealed record MetadataUpdate(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? AddTags,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? RemoveTags);

internal sealed record Problem(string? Type, string? Title, int? Status, string? Detail);

/// <summary>Result of <c>POST /api/files</c>: 201 stores a new file, 200 means that content was already stored.</summary>
internal sealed record Uploaded(StoredFile File, bool Created);

/// <summary>The filters of <c>GET /api/search</c>; null members are left out of the query.</summary>
internal sealed record SearchQuery
{
    public IReadOnlyList<string> Tags { get; init; } = [];

    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();

    public string? From { get; init; }

    public string? To { get; init; }

    public string? Near { get; init; }

    public string? Bbox { get; init; }

    public string? Name { get; init; }

    public int? Skip { get; init; }

    public int? Take { get; init; }

    public string ToQueryString()
    {
        var parts = new List<string>();
        parts.AddRange(Tags.Select(t => $"tag={Uri.EscapeDataString(t)}"));
        parts.AddRange(Fields.Select(f => $"field.{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}"));
        Add("from", From);
        Add("to", To);
        Add("near", Near);
        Add("bbox", Bbox);
        Add("name", Name);
        Add("skip", Skip?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("take", Take?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);

        void Add(string name, string? value)
        {
            if (value is not null)
            {
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }
    }
}

internal static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };
}
