using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorChain.Cli.Http;

// The bodies of docs/http-api.md, as the CLI reads them; unknown members are ignored so a newer node still parses.
internal sealed record Member(string? NodeId, string Address, string Status, bool Reachable, bool Voter, long Height, string? HeadHash);

internal sealed record MembershipChange(string NodeId, string Address, string Requested);

/// <summary>A committed voter.add or voter.remove: its block, and the voters from the next height on.</summary>
internal sealed record VoterChange(string NodeId, string Change, long Height, string BlockHash, string EntryId, string[] Voters);

/// <summary>One voter; <see cref="HasPublicKey"/> is null when the node's answer does not say (a list of plain ids).</summary>
internal sealed record Voter(string NodeId, bool? HasPublicKey)
{
    /// <summary>
    /// <c>["n1", …]</c> as docs/http-api.md has it, or objects <c>{nodeId, publicKey?}</c>, so a node that
    /// reports the voters' keys is shown with them.
    /// </summary>
    /// <exception cref="JsonException">The body is neither.</exception>
    public static Voter[] ParseList(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException($"expected a JSON array of voters, got {body.ValueKind}");
        }

        return [.. body.EnumerateArray().Select(Parse)];
    }

    private static Voter Parse(JsonElement voter)
    {
        if (voter.ValueKind == JsonValueKind.String)
        {
            return new Voter(voter.GetString()!, null);
        }

        if (voter.ValueKind == JsonValueKind.Object
            && voter.TryGetProperty("nodeId", out var id) && id.ValueKind == JsonValueKind.String)
        {
            // Null members are left out of the node's JSON, so an object without publicKey is a voter without one.
            var hasKey = voter.TryGetProperty("publicKey", out var key) && key.ValueKind == JsonValueKind.String && key.GetString()!.Length > 0;
            return new Voter(id.GetString()!, hasKey);
        }

        throw new JsonException($"a voter is a node id or an object with a nodeId, not {voter.ValueKind}");
    }
}

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
