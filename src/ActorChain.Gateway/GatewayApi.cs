using System.Text;
using System.Text.Json;
using ActorChain.Actors;
using ActorChain.Chain;
using ActorChain.Consensus.Actors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace ActorChain.Gateway;

/// <summary>The application routes of one node. Every bad input is a 4xx problem that says what is wrong and changes nothing.</summary>
internal sealed partial class GatewayApi
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly GatewayContext _gateway;
    private readonly IActorRef _actor;
    private readonly IActorRef? _replicator;
    private readonly ILogger _log;

    public GatewayApi(GatewayContext gateway, IActorRef actor, IActorRef? replicator = null)
    {
        _gateway = gateway;
        _actor = actor;
        _replicator = replicator;
        _log = gateway.LoggerFactory.CreateLogger<GatewayApi>();
    }

    /// <summary>The node's upload actor (tests watch it).</summary>
    public IActorRef Actor => _actor;

    /// <summary>The node's file replicator; null when its file store is shared.</summary>
    public IActorRef? Replicator => _replicator;

    private IChainService Chain => _gateway.Chain;

    private string NodeId => _gateway.NodeId;

    public void Map(IEndpointRouteBuilder endpoints)
    {
        var files = endpoints.MapGroup("/api/files");
        files.MapPost("/", (Func<HttpContext, Task<IResult>>)UploadAsync);
        files.MapGet("/", (Func<HttpContext, Task<IResult>>)ListFilesAsync);
        files.MapGet("/{id}", GetFileAsync);
        files.MapGet("/{id}/content", GetContentAsync);
        files.MapDelete("/{id}", DeleteFileAsync);
        files.MapPut("/{id}/metadata", PutMetadataAsync);

        var fields = endpoints.MapGroup("/api/fields");
        fields.MapPost("/", (Func<HttpContext, Task<IResult>>)DefineFieldAsync);
        fields.MapGet("/", (Func<HttpContext, Task<IResult>>)ListFieldsAsync);

        endpoints.MapGet("/api/search", (Func<HttpContext, Task<IResult>>)SearchAsync);

        var tasks = endpoints.MapGroup("/api/tasks");
        tasks.MapPost("/{taskId}/claim", ClaimTaskAsync);
        tasks.MapGet("/{taskId}", GetTaskAsync);
    }

    private static IResult Problem(int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail);

    private static IResult BadRequest(string title, string detail) => Problem(StatusCodes.Status400BadRequest, title, detail);

    /// <summary>A file id is the lower-case hex SHA-256 of the bytes; upper case is accepted.</summary>
    private static bool TryFileId(string id, out string fileId, out IResult? problem)
    {
        fileId = id.ToLowerInvariant();
        if (fileId.Length == 64 && fileId.All(char.IsAsciiHexDigitLower))
        {
            problem = null;
            return true;
        }

        problem = BadRequest("Bad file id", $"A file id is the 64 hex digits of the file's SHA-256, not '{Shorten(id)}'.");
        return false;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";

    private static bool IsText(string value, int maxBytes, out int bytes)
    {
        try
        {
            bytes = StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            bytes = -1;
            return false;
        }

        return bytes is > 0 && bytes <= maxBytes && !value.Any(char.IsControl);
    }

    // Idempotency-Key (or X-Entry-Id) names the entry, so a retried request commits once; without one, a new GUID.
    // The node's key-value and voter routes use it too, so every write route reads the header one way.
    internal static (string? EntryId, IResult? Problem) EntryIdOf(HttpRequest request)
    {
        var header = request.Headers["Idempotency-Key"];
        if (StringValues.IsNullOrEmpty(header))
        {
            header = request.Headers["X-Entry-Id"];
        }

        if (StringValues.IsNullOrEmpty(header))
        {
            return (EntryIds.New(), null);
        }

        var id = header.ToString();
        return header.Count == 1 && IsText(id, Entry.MaxIdBytes, out _)
            ? (id, null)
            : (null, BadRequest("Bad Idempotency-Key", $"An Idempotency-Key (or X-Entry-Id) is one value of 1 to {Entry.MaxIdBytes} UTF-8 bytes without control characters."));
    }

    private Entry NewEntry(string id, EntryKind kind, byte[] payload) =>
        new(id, kind, payload, NodeId, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    /// <summary>Submits and waits for the commit; a problem when it was refused or not seen committed in time.</summary>
    private async Task<(CommitResult? Result, IResult? Problem)> SubmitAsync(Entry entry, HttpContext http)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        timeout.CancelAfter(_gateway.Options.WriteTimeout);
        try
        {
            return (await Chain.SubmitAsync(entry, timeout.Token), null);
        }
        catch (SubmissionRejectedException e) when (e.IsMempoolFull)
        {
            http.Response.Headers.RetryAfter = "1";
            return (null, Problem(StatusCodes.Status503ServiceUnavailable, "Mempool full", $"{NodeId} has no room for more entries now; retry later with the same Idempotency-Key. {e.Message}"));
        }
        catch (SubmissionRejectedException e)
        {
            return (null, Problem(StatusCodes.Status413PayloadTooLarge, "Entry too large", e.Message));
        }
        catch (ChainUnavailableException e)
        {
            return (null, Unavailable(e));
        }
        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
        {
            return (null, NotCommitted(entry.Id));
        }
    }

    private IResult NotCommitted(string entryId) => Problem(
        StatusCodes.Status503ServiceUnavailable,
        "Not committed in time",
        $"Entry {entryId} was not committed within {_gateway.Options.WriteTimeout} (no quorum of voters?); it may still commit. Retry with the same Idempotency-Key.");

    private static IResult Unavailable(ChainUnavailableException e) =>
        Problem(StatusCodes.Status503ServiceUnavailable, "Chain unavailable", e.Message);

    /// <summary>
    /// The request body as one JSON object: at most <see cref="GatewayOptions.MaxJsonBodySize"/> bytes; an empty body is
    /// <paramref name="allowEmpty"/> or a 400.
    /// </summary>
    private async Task<(JsonDocument? Json, IResult? Problem)> ReadJsonObjectAsync(HttpRequest request, bool allowEmpty)
    {
        var limit = _gateway.Options.MaxJsonBodySize;
        var body = await BoundedBody.ReadAsync(request, limit, request.HttpContext.RequestAborted);
        if (body is null)
        {
            return (null, Problem(StatusCodes.Status413PayloadTooLarge, "Body too large", $"A JSON body here is at most {limit} bytes."));
        }

        if (body.Length == 0)
        {
            return (null, allowEmpty ? null : BadRequest("Missing body", "This request needs a JSON object body."));
        }

        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            return (null, BadRequest("Malformed JSON", $"The body is not valid JSON: {e.Message}"));
        }

        var kind = json.RootElement.ValueKind;
        if (kind != JsonValueKind.Object)
        {
            json.Dispose();
            return (null, BadRequest("Malformed JSON", $"The body is a JSON {kind.ToString().ToLowerInvariant()}, not an object."));
        }

        return (json, null);
    }

    private static bool TryStringArray(JsonElement value, string name, out List<string> items, out IResult? problem)
    {
        items = [];
        problem = null;
        if (value.ValueKind != JsonValueKind.Array)
        {
            problem = BadRequest("Bad metadata", $"'{name}' is an array of strings, not a JSON {value.ValueKind.ToString().ToLowerInvariant()}.");
            return false;
        }

        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                problem = BadRequest("Bad metadata", $"'{name}' holds strings only, not a JSON {item.ValueKind.ToString().ToLowerInvariant()}.");
                return false;
            }

            items.Add(item.GetString()!);
        }

        return true;
    }
}
