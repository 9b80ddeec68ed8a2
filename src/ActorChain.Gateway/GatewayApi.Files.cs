using System.Globalization;
using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using ActorChain.Consensus.Actors;
using ActorChain.Actors;
using ActorChain.Gateway.Replication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Headers;
using Microsoft.Net.Http.Headers;
using static ActorChain.Gateway.Uploads.HttpGatewayProtocol;

namespace ActorChain.Gateway;

/// <summary>Reading and deleting files: GET /api/files[/{id}[/content]], DELETE /api/files/{id}.</summary>
internal sealed partial class GatewayApi
{
    private async Task<IResult> ListFilesAsync(HttpContext http) => await RunSearchAsync(http, pagingOnly: true);

    private async Task<IResult> GetFileAsync(string id, HttpContext http)
    {
        if (!TryFileId(id, out var fileId, out var bad))
        {
            return bad!;
        }

        var file = await FindAsync(fileId, http);
        return file is null ? UnknownFile(fileId) : Results.Json(FileView.Of(file), GatewayJsonContext.Default.FileView);
    }

    private async Task<FileRecord?> FindAsync(string fileId, HttpContext http) =>
        await Chain.QueryAsync(ledger => ledger.TryGetFile(fileId, out var file) ? file : null, http.RequestAborted);

    private IResult UnknownFile(string fileId) =>
        Problem(StatusCodes.Status404NotFound, "File not found", $"There is no file '{fileId}' at height {Chain.Head.Height} of {NodeId}.");

    private async Task<IResult> GetContentAsync(string id, HttpContext http)
    {
        if (!TryFileId(id, out var fileId, out var bad))
        {
            return bad!;
        }

        var file = await FindAsync(fileId, http);
        if (file is null)
        {
            return UnknownFile(fileId);
        }

        if (await _gateway.Files.GetLengthAsync(file.Sha256, http.RequestAborted) is null && await BytesMissingAsync(file, http) is { } missing)
        {
            return missing;
        }

        var etag = new EntityTagHeaderValue($"\"{fileId}\"");
        var response = http.Response;
        var headers = response.GetTypedHeaders();
        headers.ETag = etag;
        response.Headers.AcceptRanges = "bytes";

        // The bytes of a file id never change: an ETag match is always fresh.
        var request = http.Request.GetTypedHeaders();
        if (request.IfNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false)))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var size = file.Size;
        long offset = 0, length = size;
        var partial = false;
        if (RangeApplies(http.Request, request, etag))
        {
            if (!TryRange(http.Request.Headers.Range.ToString(), size, out offset, out length))
            {
                response.Headers.ContentRange = $"bytes */{size}";
                return Problem(
                    StatusCodes.Status416RangeNotSatisfiable,
                    "Range not satisfiable",
                    $"Range '{Shorten(http.Request.Headers.Range.ToString())}' is not one range (bytes=a-b, bytes=a- or bytes=-n) inside the file's {size} bytes.");
            }

            partial = true;
        }

        var content = await _gateway.Files.OpenReadAsync(file.Sha256, offset, length, http.RequestAborted);
        if (content is null)
        {
            // Deleted between the check above and the read.
            return await FindAsync(fileId, http) is null ? UnknownFile(fileId) : ContentUnavailable(http, fileId, "its bytes left this node's store while it was read");
        }

        await using (content)
        {
            response.StatusCode = partial ? StatusCodes.Status206PartialContent : StatusCodes.Status200OK;
            response.ContentType = file.ContentType;
            response.ContentLength = length;
            if (partial)
            {
                response.Headers.ContentRange = $"bytes {offset}-{offset + length - 1}/{size}";
            }

            var disposition = new ContentDispositionHeaderValue("inline");
            disposition.SetHttpFileName(file.FileName);
            headers.ContentDisposition = disposition;
            await content.CopyToAsync(response.Body, 81920, http.RequestAborted);
        }

        return Results.Empty;
    }

    /// <summary>
    /// The file is in the ledger but its bytes are not in this node's store: wait (a bounded time)
    /// for the replicator to copy them. Null once they are here; else a 503 (or a 404 when the file
    /// was deleted meanwhile), never a 404 for a file the ledger has.
    /// </summary>
    private async Task<IResult?> BytesMissingAsync(FileRecord file, HttpContext http)
    {
        if (_replicator is null || _gateway.Replication is not { } replication)
        {
            return ContentUnavailable(http, file.FileId, "the shared file store does not hold them");
        }

        var ready = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _replicator.Tell(new FileReplicatorProtocol.Need(file.Sha256, file.Size, null, ready), ActorRefs.NoSender);
        bool stored;
        try
        {
            stored = await ready.Task.WaitAsync(replication.Options.ReadWait, http.RequestAborted);
        }
        catch (TimeoutException)
        {
            ready.TrySetCanceled();
            return ContentUnavailable(http, file.FileId, $"no peer delivered them within {replication.Options.ReadWait.TotalSeconds:0.#} s; they are being copied");
        }

        if (stored)
        {
            return null;
        }

        return await FindAsync(file.FileId, http) is null
            ? UnknownFile(file.FileId)
            : ContentUnavailable(http, file.FileId, "the copy stopped");
    }

    // The bytes usually arrive within seconds.
    private IResult ContentUnavailable(HttpContext http, string fileId, string why)
    {
        http.Response.Headers.RetryAfter = "5";
        return Problem(
            StatusCodes.Status503ServiceUnavailable,
            "Content not available yet",
            $"File {fileId} is in the chain, but its bytes are not in {NodeId}'s file store: {why}. Retry later, or read it from another node.");
    }

    /// <summary>A Range header in bytes, unless If-Range names another version (then the whole file is sent, as RFC 9110 says).</summary>
    private static bool RangeApplies(HttpRequest http, RequestHeaders request, EntityTagHeaderValue etag)
    {
        if (string.IsNullOrEmpty(http.Headers.Range))
        {
            return false;
        }

        return request.IfRange is not { } ifRange || (ifRange.EntityTag is { } tag && tag.Compare(etag, useStrongComparison: true));
    }

    /// <summary>One byte range of a file of <paramref name="size"/> bytes: <c>bytes=a-b</c>, <c>bytes=a-</c> or <c>bytes=-n</c>.</summary>
    internal static bool TryRange(string header, long size, out long offset, out long length)
    {
        offset = 0;
        length = 0;
        const string Unit = "bytes=";
        if (!header.StartsWith(Unit, StringComparison.OrdinalIgnoreCase) || header.Contains(',', StringComparison.Ordinal))
        {
            return false;
        }

        var spec = header[Unit.Length..].Trim();
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return false;
        }

        var first = spec[..dash];
        var last = spec[(dash + 1)..];
        if (first.Length == 0)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix) || suffix == 0 || size == 0)
            {
                return false;
            }

            length = Math.Min(suffix, size);
            offset = size - length;
            return true;
        }

        if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset >= size)
        {
            return false;
        }

        var end = size - 1;
        if (last.Length > 0)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var lastByte) || lastByte < offset)
            {
                return false;
            }

            end = Math.Min(lastByte, end);
        }

        length = end - offset + 1;
        return true;
    }

    private async Task<IResult> DeleteFileAsync(string id, HttpContext http)
    {
        if (!TryFileId(id, out var fileId, out var bad))
        {
            return bad!;
        }

        var (entryId, badId) = EntryIdOf(http.Request);
        if (badId is not null)
        {
            return badId;
        }

        try
        {
            if (await FindAsync(fileId, http) is null)
            {
                return UnknownFile(fileId);
            }

            var (result, problem) = await SubmitAsync(NewEntry(entryId!, EntryKind.FileDelete, new FileDeletePayload(fileId).Encode()), http);
            if (problem is not null)
            {
                return problem;
            }

            if (result!.Status != EntryStatus.Applied)
            {
                return Problem(StatusCodes.Status404NotFound, "File not found", $"The ledger rejected delete {result.EntryId} at height {result.Height}: {result.Reason}.");
            }

            _actor.Tell(new FileDeleted(Hash256.Parse(fileId)));
            return Results.Json(new FileDeletedView(fileId, result.Height, result.BlockHash.ToString(), result.EntryId), GatewayJsonContext.Default.FileDeletedView);
        }
        catch (ChainUnavailableException e)
        {
            return Unavailable(e);
        }
    }
}
