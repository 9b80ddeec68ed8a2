using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using ActorChain.Consensus.Actors;
using ActorChain.Gateway;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace ActorChain.Node;

/// <summary>200 of a committed PUT or DELETE.</summary>
internal sealed record KvWriteResult(string Key, long Height, string BlockHash, string EntryId);

internal sealed record HeadView(string NodeId, long Height, string Hash);

internal sealed record EntryView(
    string Id,
    string Kind,
    string Origin,
    long SubmittedAt,
    int PayloadSize,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Key);

internal sealed record BlockView(
    long Height, string Hash, string PrevHash, long Timestamp, string Proposer, string EntriesRoot, int EntryCount, EntryView[] Entries)
{
    public static BlockView Of(Block block) => new(
        block.Height,
        block.Hash.ToString(),
        block.PrevHash.ToString(),
        block.Header.TimestampUnixMs,
        block.Header.Proposer,
        block.Header.EntriesRoot.ToString(),
        block.Header.EntryCount,
        [.. block.Entries.Select(e => new EntryView(e.Id, e.Kind.ToWireName(), e.Origin, e.SubmittedAtUnixMs, e.Payload.Length, KeyOf(e)))]);

    private static string? KeyOf(Entry entry)
    {
        try
        {
            return entry.Kind switch
            {
                EntryKind.KvPut => KvPutPayload.Decode(entry.Payload.Span).Key,
                EntryKind.KvDelete => KvDeletePayload.Decode(entry.Payload.Span).Key,
                _ => null,
            };
        }
        catch (ChainFormatException)
        {
            // A payload the ledger rejected as malformed still sits in the chain; it has no key to show.
            return null;
        }
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(KvWriteResult))]
[JsonSerializable(typeof(HeadView))]
[JsonSerializable(typeof(BlockView))]
[JsonSerializable(typeof(BlockView[]))]
[JsonSerializable(typeof(VoterChangeResult))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class ChainJsonContext : JsonSerializerContext;

/// <summary>The key-value and chain routes of DESIGN §8.</summary>
internal sealed partial class ActorChainNode
{
    public const int MaxBlocksPerPage = 100;
    public const int DefaultBlocksPerPage = 20;

    private const string KvRoutePrefix = "/api/kv/";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private IChainService ChainService => Chain.Service;

    private void MapChainEndpoints()
    {
        var kv = Web.MapGroup("/api/kv");
        kv.MapPut("/{key}", PutAsync);
        kv.MapGet("/{key}", GetAsync);
        kv.MapDelete("/{key}", DeleteAsync);

        var chain = Web.MapGroup("/api/chain");
        chain.MapGet("/head", () =>
        {
            var head = ChainService.Head;
            return Results.Json(new HeadView(Settings.NodeId, head.Height, head.Hash.ToString()), ChainJsonContext.Default.HeadView);
        });
        chain.MapGet("/blocks/{height}", GetBlockAsync);
        chain.MapGet("/blocks", (Func<HttpContext, Task<IResult>>)GetBlocksAsync);
        MapVerifyEndpoint(chain);
        MapVoterEndpoints();
    }

    private async Task<IResult> PutAsync(string key, HttpContext http)
    {
        key = KeyOf(http, key);
        if (ValidateKey(key) is { } badKey)
        {
            return badKey;
        }

        var (entryId, badId) = GatewayApi.EntryIdOf(http.Request);
        if (badId is not null)
        {
            return badId;
        }

        var (value, tooLarge) = await ReadBoundedBodyAsync(http.Request, Settings.Gateway.MaxValueSize, http.RequestAborted);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        var entry = new Entry(entryId!, EntryKind.KvPut, new KvPutPayload(key, value).Encode(), Settings.NodeId, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return await SubmitAsync(key, entry, http);
    }

    private async Task<IResult> DeleteAsync(string key, HttpContext http)
    {
        key = KeyOf(http, key);
        if (ValidateKey(key) is { } badKey)
        {
            return badKey;
        }

        var (entryId, badId) = GatewayApi.EntryIdOf(http.Request);
        if (badId is not null)
        {
            return badId;
        }

        var entry = new Entry(entryId!, EntryKind.KvDelete, new KvDeletePayload(key).Encode(), Settings.NodeId, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return await SubmitAsync(key, entry, http);
    }

    private async Task<IResult> SubmitAsync(string key, Entry entry, HttpContext http)
    {
        var (result, problem) = await CommitAsync(entry, http);
        if (problem is not null)
        {
            return problem;
        }

        if (result.Status == EntryStatus.Rejected)
        {
            // The ledger's verdict, the same on every node: a kv.delete of a missing key is the usual one.
            return entry.Kind == EntryKind.KvDelete
                ? Problem(StatusCodes.Status404NotFound, "Key not found", $"The ledger rejected delete {result.EntryId} at height {result.Height}: {result.Reason}.")
                : Problem(StatusCodes.Status409Conflict, "Entry rejected", $"The ledger rejected entry {result.EntryId} at height {result.Height}: {result.Reason}");
        }

        return Results.Json(new KvWriteResult(key, result.Height, result.BlockHash.ToString(), result.EntryId), ChainJsonContext.Default.KvWriteResult);
    }

    /// <summary>Submits the entry and waits for its block; a problem (503, 413) when it was not committed in time or not taken.</summary>
    private async Task<(CommitResult Result, IResult? Problem)> CommitAsync(Entry entry, HttpContext http)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        timeout.CancelAfter(Settings.Gateway.WriteTimeout);
        CommitResult result;
        try
        {
            result = await ChainService.SubmitAsync(entry, timeout.Token);
        }
        catch (SubmissionRejectedException e) when (e.IsMempoolFull)
        {
            http.Response.Headers.RetryAfter = "1";
            return (default!, Problem(StatusCodes.Status503ServiceUnavailable, "Mempool full", $"{Settings.NodeId} has no room for more entries now; retry later with the same Idempotency-Key. {e.Message}"));
        }
        catch (SubmissionRejectedException e)
        {
            return (default!, Problem(StatusCodes.Status413PayloadTooLarge, "Entry too large", e.Message));
        }
        catch (ChainUnavailableException e)
        {
            return (default!, Problem(StatusCodes.Status503ServiceUnavailable, "Chain unavailable", $"{e.Message} Whether entry {entry.Id} commits is unknown; retry with the same Idempotency-Key."));
        }
        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
        {
            return (default!, Problem(
                StatusCodes.Status503ServiceUnavailable,
                "Not committed in time",
                $"Entry {entry.Id} was not committed within {Settings.Gateway.WriteTimeout} (no quorum of voters?); it may still commit. Retry with the same Idempotency-Key."));
        }

        return (result, null);
    }

    private async Task<IResult> GetAsync(string key, HttpContext http)
    {
        key = KeyOf(http, key);
        if (ValidateKey(key) is { } badKey)
        {
            return badKey;
        }

        var consistency = http.Request.Query["consistency"].ToString();
        byte[]? value;
        try
        {
            switch (consistency)
            {
                case "" or "local":
                    value = await ChainService.ReadLocalAsync(key, http.RequestAborted);
                    break;
                case "linearizable":
                    try
                    {
                        await Chain.ReadIndexAsync(Settings.Gateway.ReadTimeout, http.RequestAborted);
                    }
                    catch (TimeoutException e)
                    {
                        return Problem(StatusCodes.Status503ServiceUnavailable, "No quorum", $"{Settings.NodeId}: {e.Message}.");
                    }

                    value = await ChainService.ReadLocalAsync(key, http.RequestAborted);
                    break;
                default:
                    return Problem(StatusCodes.Status400BadRequest, "Bad consistency", $"consistency is 'local' (the default) or 'linearizable', not '{consistency}'.");
            }
        }
        catch (ChainUnavailableException e)
        {
            return Problem(StatusCodes.Status503ServiceUnavailable, "Chain unavailable", e.Message);
        }

        return value is null
            ? Problem(StatusCodes.Status404NotFound, "Key not found", $"There is no key '{key}' at height {ChainService.Head.Height} of {Settings.NodeId}.")
            : Results.Bytes(value, "application/octet-stream");
    }

    private async Task<IResult> GetBlockAsync(string height, HttpContext http)
    {
        if (!long.TryParse(height, NumberStyles.None, CultureInfo.InvariantCulture, out var h))
        {
            return Problem(StatusCodes.Status400BadRequest, "Bad height", $"A block height is a whole number from 0, not '{height}'.");
        }

        var block = await ChainService.GetBlockAsync(h, http.RequestAborted);
        return block is null
            ? Problem(StatusCodes.Status404NotFound, "No such block", $"{Settings.NodeId}'s chain has no block {h}; its head is {ChainService.Head.Height}.")
            : Results.Json(BlockView.Of(block), ChainJsonContext.Default.BlockView);
    }

    private async Task<IResult> GetBlocksAsync(HttpContext http)
    {
        var query = http.Request.Query;
        if (!TryParseQuery(query["from"], 0, long.MaxValue, 0, out var from))
        {
            return Problem(StatusCodes.Status400BadRequest, "Bad from", $"from is a block height from 0, not '{query["from"]}'.");
        }

        if (!TryParseQuery(query["count"], 1, MaxBlocksPerPage, DefaultBlocksPerPage, out var count))
        {
            return Problem(StatusCodes.Status400BadRequest, "Bad count", $"count is 1 to {MaxBlocksPerPage} (default {DefaultBlocksPerPage}), not '{query["count"]}'.");
        }

        var blocks = await ChainService.GetBlocksAsync(from, (int)count, http.RequestAborted);
        return Results.Json(blocks.Select(BlockView.Of).ToArray(), ChainJsonContext.Default.BlockViewArray);
    }

    // Routing leaves "%2F" encoded in a route value (it would be a path separator otherwise), so a key
    // with a slash would arrive as "a%2Fb", and "a%252Fb" as the same string. The raw request target,
    // decoded once, is the key the client sent.
    private static string KeyOf(HttpContext http, string routeValue)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is null || !raw.StartsWith(KvRoutePrefix, StringComparison.Ordinal))
        {
            return routeValue;
        }

        var encoded = raw.AsSpan(KvRoutePrefix.Length);
        var query = encoded.IndexOf('?');
        if (query >= 0)
        {
            encoded = encoded[..query];
        }

        return encoded.Contains('/') ? routeValue : Uri.UnescapeDataString(encoded.ToString());
    }

    private static bool TryParseQuery(StringValues values, long min, long max, long fallback, out long value)
    {
        if (StringValues.IsNullOrEmpty(values))
        {
            value = fallback;
            return true;
        }

        return long.TryParse(values.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out value)
            && values.Count == 1 && value >= min && value <= max;
    }

    /// <summary>A key is 1 to 1024 UTF-8 bytes with no control characters (DESIGN §8); null when it is one.</summary>
    private static IResult? ValidateKey(string key)
    {
        int bytes;
        try
        {
            bytes = StrictUtf8.GetByteCount(key);
        }
        catch (EncoderFallbackException)
        {
            return Problem(StatusCodes.Status400BadRequest, "Bad key", "The key is not valid Unicode text.");
        }

        if (bytes is 0 or > LedgerLimits.MaxKeyBytes)
        {
            return Problem(StatusCodes.Status400BadRequest, "Bad key", $"A key is 1 to {LedgerLimits.MaxKeyBytes} UTF-8 bytes, not {bytes}.");
        }

        return key.Any(char.IsControl)
            ? Problem(StatusCodes.Status400BadRequest, "Bad key", "A key must not contain control characters.")
            : null;
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes: a declared or actual longer body is a 413 before more is buffered.</summary>
    private static async Task<(byte[] Body, IResult? TooLarge)> ReadBoundedBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        var body = await BoundedBody.ReadAsync(request, limit, cancellationToken);
        return body is not null
            ? (body, null)
            : ([], Problem(StatusCodes.Status413PayloadTooLarge, "Value too large", $"A value is at most {limit} bytes (actorchain.gateway.max-value-size)."));
    }

    private static IResult Problem(int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail);
}
