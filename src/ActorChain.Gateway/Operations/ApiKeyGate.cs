using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace ActorChain.Gateway.Operations;

/// <summary>
/// The API keys of <c>actorchain.gateway.api-keys</c>. With none, every request passes; with some,
/// a write under <c>/api/</c> needs <c>Authorization: Bearer &lt;key&gt;</c>.
/// </summary>
/// <remarks>
/// Only SHA-256 digests of the keys are kept, and a presented key is hashed and compared with every
/// digest by <see cref="CryptographicOperations.FixedTimeEquals"/> without stopping at a match: the
/// time taken says nothing about how much of a key was right, nor its length, nor which key matched.
/// </remarks>
internal sealed class ApiKeyGate
{
    private readonly byte[][] _digests;

    public ApiKeyGate(IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _digests = [.. keys.Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k)))];
    }

    public bool Enabled => _digests.Length > 0;

    public bool Accepts(string presented)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), digest);
        var match = false;
        foreach (var known in _digests)
        {
            match |= CryptographicOperations.FixedTimeEquals(digest, known);
        }

        return match;
    }

    /// <summary>
    /// Every method but the safe ones (RFC 9110 §9.2.1) counts as a write, so a method nobody
    /// thought of is guarded too. The path is checked as sent and as routed: either under
    /// <c>/api</c> is enough.
    /// </summary>
    public static bool IsGuarded(HttpContext context)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method))
        {
            return false;
        }

        return context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || HttpRequestCounters.RouteOf(context.GetEndpoint()).StartsWith("/api/", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The token of the one <c>Authorization: Bearer</c> header; null when there is no such header.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        var values = request.Headers.Authorization;
        if (values.Count != 1 || values[0] is not { } header)
        {
            return null;
        }

        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = header[Scheme.Length..].Trim();
        return token.Length == 0 ? null : token;
    }
}

/// <summary>401 (with <c>WWW-Authenticate: Bearer</c>) without a key, 403 with a wrong one, both problem+json.</summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyGate gate, ILogger<ApiKeyMiddleware> log)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!gate.Enabled || !ApiKeyGate.IsGuarded(context))
        {
            return next(context);
        }

        var token = ApiKeyGate.BearerToken(context.Request);
        if (token is null)
        {
            context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer realm=\"actorchain\"";
            return Problems.WriteAsync(
                context,
                StatusCodes.Status401Unauthorized,
                "API key required",
                $"{context.Request.Method} {context.Request.Path} changes state; send 'Authorization: Bearer <key>' with a key from actorchain.gateway.api-keys.");
        }

        if (!gate.Accepts(token))
        {
            OperationsLog.ApiKeyRejected(log, context.Request.Method, context.Request.Path.Value ?? string.Empty, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            return Problems.WriteAsync(
                context,
                StatusCodes.Status403Forbidden,
                "API key not accepted",
                "The bearer token is not one of this node's API keys (actorchain.gateway.api-keys).");
        }

        return next(context);
    }
}
