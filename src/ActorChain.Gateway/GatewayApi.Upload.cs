using ActorChain.Actors;
using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using ActorChain.Gateway.Files;
using ActorChain.Gateway.Uploads;
using ActorChain.Persistence;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using static ActorChain.Gateway.Uploads.HttpGatewayProtocol;

namespace ActorChain.Gateway;

/// <summary>POST /api/files: stream to the file store while hashing, read the photo's metadata from the stored bytes, commit one file.add.</summary>
internal sealed partial class GatewayApi
{
    private const int MaxFormFieldBytes = 16 * 1024;
    private const int MultipartOverheadBytes = 64 * 1024;

    private sealed record UploadParts(StoredFile File, string FileName, string ContentType, IReadOnlyList<string> Tags);

    private async Task<IResult> UploadAsync(HttpContext http)
    {
        var request = http.Request;
        var (entryId, badId) = EntryIdOf(request);
        if (badId is not null)
        {
            return badId;
        }

        var multipart = MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            && mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);
        var max = _gateway.Options.MaxFileSize;
        if (request.ContentLength > max + (multipart ? MultipartOverheadBytes : 0))
        {
            return TooLarge();
        }

        // This route enforces max-file-size itself, while streaming; Kestrel's default (30 MB) would cut it short.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = null;
        }

        var (parts, problem) = multipart ? await ReceiveMultipartAsync(request, mediaType!) : await ReceiveRawAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        // The actor has counted this upload as streaming since it began: from here it must hear Commit or Abandon.
        Entry entry;
        try
        {
            var media = await ReadMediaAsync(parts!.File.Sha256, parts.ContentType, http.RequestAborted);
            var payload = new FileAddPayload(parts.File.Sha256.ToString(), parts.File.Sha256, parts.File.Length, parts.FileName, parts.ContentType, parts.Tags, media: media);
            entry = NewEntry(entryId!, EntryKind.FileAdd, payload.Encode());
        }
        catch (ArgumentException e)
        {
            _actor.Tell(new Abandon(parts!.File));
            return BadRequest("Bad upload", e.Message);
        }
        catch
        {
            _actor.Tell(new Abandon(parts!.File));
            throw;
        }

        var reply = new TaskCompletionSource<UploadOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        _actor.Tell(new Commit(parts.File, entry, reply));
        UploadOutcome outcome;
        try
        {
            // Behind another upload of the same bytes, this one may wait for that commit and then its own.
            outcome = await reply.Task.WaitAsync((2 * _gateway.Options.WriteTimeout) + TimeSpan.FromSeconds(5), http.RequestAborted);
        }
        catch (TimeoutException)
        {
            return NotCommitted(entry.Id);
        }
        finally
        {
            _actor.Tell(new Release(parts.File.Sha256));
        }

        switch (outcome.Status)
        {
            case UploadStatus.Created or UploadStatus.Existing:
                var fileId = parts.File.Sha256.ToString();
                var file = await Chain.QueryAsync(ledger => ledger.TryGetFile(fileId, out var f) ? f : null, http.RequestAborted);
                return file is null
                    ? Problem(StatusCodes.Status409Conflict, "File deleted", $"File {fileId} was stored, then deleted by a later entry before this answer.")
                    : Results.Json(
                        FileView.Of(file),
                        GatewayJsonContext.Default.FileView,
                        statusCode: outcome.Status == UploadStatus.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
            case UploadStatus.Busy:
                http.Response.Headers.RetryAfter = "1";
                return Problem(StatusCodes.Status503ServiceUnavailable, "Mempool full", $"{NodeId} has no room for more entries now; retry later. {outcome.Detail}");
            case UploadStatus.Rejected:
                return Problem(StatusCodes.Status409Conflict, "Upload rejected", $"The file.add was refused: {outcome.Detail}.");
            default:
                return Problem(StatusCodes.Status503ServiceUnavailable, "Not committed in time", $"The upload is stored but its file.add was not seen committed: {outcome.Detail}. Retry with the same Idempotency-Key.");
        }
    }

    private IResult TooLarge() => Problem(
        StatusCodes.Status413PayloadTooLarge,
        "File too large",
        $"A file is at most {_gateway.Options.MaxFileSize} bytes (actorchain.gateway.max-file-size).");

    /// <summary>Null when the media type may be uploaded; else the 415.</summary>
    private IResult? CheckContentType(string? contentType, out string mediaType)
    {
        mediaType = string.Empty;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.MediaType.Length == 0)
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type", "The upload needs a Content-Type such as image/jpeg.");
        }

        mediaType = parsed.MediaType.ToString().ToLowerInvariant();
        return _gateway.Options.ContentTypes.Contains(mediaType)
            ? null
            : Problem(
                StatusCodes.Status415UnsupportedMediaType,
                "Unsupported content type",
                $"'{Shorten(mediaType)}' is not an accepted type (actorchain.gateway.content-types): {string.Join(", ", _gateway.Options.ContentTypes.Order(StringComparer.Ordinal))}.");
    }

    private async Task<(UploadParts? Parts, IResult? Problem)> ReceiveRawAsync(HttpRequest request)
    {
        var nameHeader = request.Headers["X-File-Name"];
        if (nameHeader.Count != 1)
        {
            return (null, BadRequest("Bad file name", "A raw upload names its file in one X-File-Name header (or use multipart/form-data)."));
        }

        var name = FileNames.Decode(nameHeader.ToString());
        if (FileNames.Check(name) is { } badName)
        {
            return (null, BadRequest("Bad file name", badName));
        }

        if (CheckContentType(request.ContentType, out var contentType) is { } unsupported)
        {
            return (null, unsupported);
        }

        if (TagsHeader(request, out var tagError) is not { } tags)
        {
            return (null, BadRequest("Bad tags", tagError!));
        }

        var (stored, problem) = await StoreAsync(request.Body, request.HttpContext.RequestAborted);
        return problem is not null ? (null, problem) : (new UploadParts(stored!, name!, contentType, tags), null);
    }

    private static IReadOnlyList<string>? TagsHeader(HttpRequest request, out string? error)
    {
        var header = request.Headers["X-Tags"];
        error = null;
        if (JoinValues(header) is not { } text)
        {
            return [];
        }

        var decoded = FileNames.Decode(text);
        if (decoded is null)
        {
            error = "X-Tags is not valid percent-encoded UTF-8.";
            return null;
        }

        return FileNames.ParseTags(decoded, "X-Tags", out error);
    }

    private static string? JoinValues(Microsoft.Extensions.Primitives.StringValues values) =>
        Microsoft.Extensions.Primitives.StringValues.IsNullOrEmpty(values) ? null : string.Join(',', values.ToArray());

    private async Task<(UploadParts? Parts, IResult? Problem)> ReceiveMultipartAsync(HttpRequest request, MediaTypeHeaderValue mediaType)
    {
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200)
        {
            return (null, BadRequest("Bad multipart body", "multipart/form-data needs a boundary parameter of 1 to 200 characters."));
        }

        var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = null, HeadersCountLimit = 16, HeadersLengthLimit = 16 * 1024 };
        var cancellation = request.HttpContext.RequestAborted;
        StoredFile? stored = null;
        string? name = null, contentType = null, tagText = TagsHeaderText(request);
        try
        {
            MultipartSection? section;
            while ((section = await reader.ReadNextSectionAsync(cancellation)) is not null)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    return Fail(BadRequest("Bad multipart body", "Every part of the form needs a Content-Disposition: form-data header."));
                }

                if (disposition.IsFileDisposition())
                {
                    if (stored is not null)
                    {
                        return Fail(BadRequest("Bad multipart body", "An upload carries one file part, not more."));
                    }

                    name = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                    if (FileNames.Check(name) is { } badName)
                    {
                        return Fail(BadRequest("Bad file name", badName));
                    }

                    if (CheckContentType(section.ContentType, out var type) is { } unsupported)
                    {
                        return Fail(unsupported);
                    }

                    contentType = type;
                    var (file, problem) = await StoreAsync(section.Body, cancellation);
                    if (problem is not null)
                    {
                        return (null, problem);
                    }

                    stored = file;
                    continue;
                }

                var field = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (field != "tags")
                {
                    return Fail(BadRequest("Bad multipart body", $"'{Shorten(field ?? string.Empty)}' is not a form field of an upload; it takes one file part and 'tags'."));
                }

                var value = await ReadFieldAsync(section.Body, cancellation);
                if (value is null)
                {
                    return Fail(BadRequest("Bad tags", $"The 'tags' field is at most {MaxFormFieldBytes} bytes of UTF-8."));
                }

                tagText = tagText is null ? value : tagText + "," + value;
            }
        }
        catch (InvalidDataException e)
        {
            return Fail(BadRequest("Bad multipart body", $"The multipart/form-data body is malformed: {e.Message}"));
        }
        catch (IOException e) when (!cancellation.IsCancellationRequested)
        {
            return Fail(BadRequest("Bad multipart body", $"The multipart/form-data body ended early: {e.Message}"));
        }
        catch
        {
            Fail(null);
            throw;
        }

        if (stored is null)
        {
            return (null, BadRequest("Missing file", "The form has no file part (a part with a filename)."));
        }

        var decoded = tagText is null ? string.Empty : FileNames.Decode(tagText);
        if (FileNames.ParseTags(decoded, "tags", out var tagError) is not { } tags)
        {
            return Fail(BadRequest("Bad tags", tagError ?? "tags is not valid percent-encoded UTF-8."));
        }

        return (new UploadParts(stored, name!, contentType!, tags), null);

        (UploadParts?, IResult?) Fail(IResult? problem)
        {
            if (stored is not null)
            {
                _actor.Tell(new Abandon(stored));
            }

            return (null, problem);
        }
    }

    private static string? TagsHeaderText(HttpRequest request) => JoinValues(request.Headers["X-Tags"]);

    private static async Task<string?> ReadFieldAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxFormFieldBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            return StrictUtf8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (System.Text.DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>
    /// Streams <paramref name="content"/> into the store, hashing as it goes, never more than max-file-size.
    /// On success the upload counts as begun at the actor (the caller owes it a Commit or an Abandon); on failure it was abandoned here.
    /// </summary>
    private async Task<(StoredFile? File, IResult? Problem)> StoreAsync(Stream content, CancellationToken cancellationToken)
    {
        _actor.Tell(Begin.Instance);
        try
        {
            return (await _gateway.Files.PutAsync(new LimitedReadStream(content, _gateway.Options.MaxFileSize), cancellationToken), null);
        }
        catch (FileTooLargeException)
        {
            _actor.Tell(new Abandon(null));
            return (null, TooLarge());
        }
        catch
        {
            _actor.Tell(new Abandon(null));
            throw;
        }
    }

    /// <summary>The photo's facts from a bounded prefix of the stored bytes; none for other types or unreadable metadata.</summary>
    private async Task<MediaMetadata?> ReadMediaAsync(Hash256 sha256, string contentType, CancellationToken cancellationToken)
    {
        if (!MediaMetadataReader.CanRead(contentType))
        {
            return null;
        }

        try
        {
            await using var stored = await _gateway.Files.OpenReadAsync(sha256, 0, _gateway.Options.MetadataScanBytes, cancellationToken);
            if (stored is null)
            {
                return null;
            }

            // MetadataExtractor seeks; the store's streams need not.
            var prefix = new MemoryStream();
            await stored.CopyToAsync(prefix, cancellationToken);
            prefix.Position = 0;
            return MediaMetadataReader.Read(prefix);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            GatewayLog.MetadataUnreadable(_log, NodeId, sha256, contentType, e);
            return null;
        }
    }
}
