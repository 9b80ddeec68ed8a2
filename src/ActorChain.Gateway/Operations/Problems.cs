using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace ActorChain.Gateway.Operations;

internal static class Problems
{
    public const string ContentType = "application/problem+json";

    /// <summary>Writes a problem through the app's <see cref="IProblemDetailsService"/> (so it gets the trace id and the app's customisations).</summary>
    public static Task WriteAsync(HttpContext context, int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context);

    /// <summary>The body of a 404 or 405 that no endpoint wrote: what was asked and, for 405, what is allowed.</summary>
    public static string? DetailOf(HttpContext context) => context.Response.StatusCode switch
    {
        StatusCodes.Status404NotFound => $"No route matches {context.Request.Method} {context.Request.Path}; GET /openapi/v1.json lists every route.",
        StatusCodes.Status405MethodNotAllowed =>
            $"{context.Request.Method} is not allowed on {context.Request.Path}" +
            (context.Response.Headers.Allow is { Count: > 0 } allow ? $"; allowed: {allow}." : "."),
        _ => null,
    };
}

/// <summary>
/// Catches what escapes an endpoint. A <see cref="BadHttpRequestException"/> (a body over Kestrel's
/// limit, a malformed body) keeps its 4xx status; anything else is a 500 whose body names only the
/// trace id: the exception and its stack go to the log, never to the client.
/// </summary>
internal sealed class ProblemExceptionMiddleware(RequestDelegate next, ILogger<ProblemExceptionMiddleware> log)
{
    public const int ClientClosedRequest = 499;

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client is gone: there is no one to answer. 499 (nginx's "client closed request")
            // keeps the request out of the 200s in the request counters.
            if (!context.Response.HasStarted)
            {
                context.Response.StatusCode = ClientClosedRequest;
            }
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            OperationsLog.BadRequest(log, context.Request.Method, context.Request.Path.Value ?? string.Empty, e.StatusCode, e.Message);
            context.Response.Clear();
            await Problems.WriteAsync(context, e.StatusCode, ReasonPhrases.GetReasonPhrase(e.StatusCode), e.Message);
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            var traceId = Activity.Current?.Id ?? context.TraceIdentifier;
            OperationsLog.Unhandled(log, context.Request.Method, context.Request.Path.Value ?? string.Empty, traceId, e);
            context.Response.Clear();
            await Problems.WriteAsync(
                context,
                StatusCodes.Status500InternalServerError,
                "Internal error",
                $"The node failed to answer this request; its log has the details under trace id {traceId}.");
        }
    }
}

/// <summary>EventIds 8900–8999: the gateway's operations (keys, errors, limits) within the gateway's 8000–8999.</summary>
internal static partial class OperationsLog
{
    [LoggerMessage(EventId = 8900, Level = LogLevel.Warning, Message = "Rejected {Method} {Path} from {Remote}: the bearer token is not an API key of this node")]
    public static partial void ApiKeyRejected(ILogger logger, string method, string path, string remote);

    [LoggerMessage(EventId = 8901, Level = LogLevel.Information, Message = "Bad request {Method} {Path}: {Status} {Reason}")]
    public static partial void BadRequest(ILogger logger, string method, string path, int status, string reason);

    [LoggerMessage(EventId = 8902, Level = LogLevel.Error, Message = "Unhandled error in {Method} {Path} (trace id {TraceId})")]
    public static partial void Unhandled(ILogger logger, string method, string path, string traceId, Exception exception);

    [LoggerMessage(EventId = 8903, Level = LogLevel.Information, Message = "API keys are required for writes under /api/ ({Count} configured)")]
    public static partial void ApiKeysEnabled(ILogger logger, int count);
}
