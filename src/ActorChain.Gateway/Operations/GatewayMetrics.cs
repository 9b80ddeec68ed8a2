using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ActorChain.Gateway.Operations;

/// <summary>
/// What <c>GET /metrics</c> shows: the families the node's collectors write at scrape time, then
/// the HTTP request counters the middleware keeps, then the process's CPU, JIT, GC and thread-pool numbers.
/// </summary>
internal sealed class GatewayMetrics
{
    private readonly Lock _adding = new();
    private volatile Action<PrometheusTextWriter>[] _collectors = [];

    public HttpRequestCounters Requests { get; } = new();

    /// <summary>Adds a collector, called on the scraping thread; it must only read (cheap, thread-safe) state.</summary>
    public void Add(Action<PrometheusTextWriter> collector)
    {
        ArgumentNullException.ThrowIfNull(collector);
        lock (_adding)
        {
            _collectors = [.. _collectors, collector];
        }
    }

    public string Scrape()
    {
        var writer = new PrometheusTextWriter();
        foreach (var collect in _collectors)
        {
            collect(writer);
        }

        Requests.WriteTo(writer);
        RuntimeMetrics.WriteTo(writer);
        return writer.ToString();
    }
}

/// <summary>
/// <c>actorchain_http_requests_total</c> by route pattern, method and status. Each label set is a
/// counter found lock-free once it exists; the sets are bounded because the route is the matched
/// pattern (not the path) and unknown methods collapse to <c>OTHER</c>.
/// </summary>
internal sealed class HttpRequestCounters
{
    public const string MetricName = "actorchain_http_requests_total";

    /// <summary>The route label of a request no route matched (404s, 405s, the Swagger UI's files).</summary>
    public const string Unmatched = "unmatched";

    private static readonly string[] KnownMethods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT"];

    private readonly ConcurrentDictionary<RequestKey, Counter> _counts = new();

    public void Count(string route, string method, int status)
    {
        var key = new RequestKey(route, NormalizeMethod(method), status);
        if (!_counts.TryGetValue(key, out var counter))
        {
            counter = _counts.GetOrAdd(key, static _ => new Counter());
        }

        Interlocked.Increment(ref counter.Value);
    }

    public long Get(string route, string method, int status) =>
        _counts.TryGetValue(new RequestKey(route, method, status), out var counter) ? Volatile.Read(ref counter.Value) : 0;

    public void WriteTo(PrometheusTextWriter writer) =>
        writer.Family(
            MetricName,
            "HTTP requests answered, by matched route pattern, method and status code.",
            "counter",
            _counts
                .OrderBy(c => c.Key.Route, StringComparer.Ordinal).ThenBy(c => c.Key.Method, StringComparer.Ordinal).ThenBy(c => c.Key.Status)
                .Select(c => ((IReadOnlyList<(string, string)>)[("route", c.Key.Route), ("method", c.Key.Method), ("status", c.Key.Status.ToString(System.Globalization.CultureInfo.InvariantCulture))], (double)Volatile.Read(ref c.Value.Value))));

    /// <summary>The route pattern of the endpoint routing chose, with a leading slash; <see cref="Unmatched"/> when none.</summary>
    public static string RouteOf(Endpoint? endpoint) =>
        endpoint is RouteEndpoint { RoutePattern.RawText: { } raw }
            ? raw.StartsWith('/') ? raw : "/" + raw
            : Unmatched;

    private static string NormalizeMethod(string method)
    {
        foreach (var known in KnownMethods)
        {
            if (string.Equals(known, method, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return "OTHER";
    }

    private readonly record struct RequestKey(string Route, string Method, int Status);

    private sealed class Counter
    {
        public long Value;
    }
}

/// <summary>Counts every request once, with the status the client finally got.</summary>
internal sealed class HttpMetricsMiddleware(RequestDelegate next, GatewayMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        // Routing has usually run already; an error path may clear the endpoint, so take it now.
        var endpoint = context.GetEndpoint();
        try
        {
            await next(context);
        }
        catch
        {
            // Nothing inside answered: the server turns this into a 500 or drops the connection.
            metrics.Requests.Count(HttpRequestCounters.RouteOf(endpoint ?? context.GetEndpoint()), context.Request.Method, StatusCodes.Status500InternalServerError);
            throw;
        }

        metrics.Requests.Count(HttpRequestCounters.RouteOf(endpoint ?? context.GetEndpoint()), context.Request.Method, context.Response.StatusCode);
    }
}
