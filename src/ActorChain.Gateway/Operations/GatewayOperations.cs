using ActorChain.Consensus.Actors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorChain.Gateway.Operations;

/// <summary>Kestrel's request limits (<c>actorchain.gateway.limits</c>); the defaults are Kestrel's own.</summary>
internal sealed record HttpLimits
{
    public int MaxRequestLineSize { get; init; } = 8 * 1024;

    public int MaxRequestHeadersSize { get; init; } = 32 * 1024;

    public int MaxRequestHeaderCount { get; init; } = 100;

    /// <summary>Routes that take more (file uploads) raise it per request through <c>IHttpMaxRequestBodySizeFeature</c>.</summary>
    public long MaxRequestBodySize { get; init; } = 30_000_000;

    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(130);
}

/// <summary>What the node hands the operations parts of the gateway.</summary>
internal sealed record GatewayOperationsOptions
{
    /// <summary>Empty: writes are open. Otherwise writes under <c>/api/</c> need one of these as a bearer token.</summary>
    public IReadOnlyList<string> ApiKeys { get; init; } = [];

    public HttpLimits Limits { get; init; } = new();

    /// <summary>Operation ids and summaries by <c>"METHOD /path"</c> (the document's path form), for routes mapped without them.</summary>
    public IReadOnlyDictionary<string, RouteDoc> RouteDocs { get; init; } = new Dictionary<string, RouteDoc>();
}

/// <summary>
/// The parts of the HTTP gateway that cover every route (issue 7): the OpenAPI document and Swagger
/// UI, <c>GET /metrics</c>, API keys on writes, problem+json for every error, Kestrel's limits.
/// The node calls <see cref="AddServices"/> and <see cref="ConfigureKestrel"/> on its builder and
/// <see cref="UseGatewayOperations"/> on the built app, then adds metric collectors to
/// <see cref="GatewayMetrics"/>.
/// </summary>
internal static class GatewayOperations
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string SwaggerPrefix = "swagger";
    public const string MetricsPath = "/metrics";

    private static readonly PathString SwaggerPath = new("/" + SwaggerPrefix);

    public static void AddServices(IServiceCollection services, GatewayOperationsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton(new ApiKeyGate(options.ApiKeys));
        services.AddProblemDetails();
        services.AddOpenApi(DocumentName, openApi =>
        {
            openApi.AddDocumentTransformer(new EveryRouteDocumentTransformer(options.RouteDocs));
            if (options.ApiKeys.Count > 0)
            {
                openApi.AddDocumentTransformer(new BearerKeyDocumentTransformer());
            }
        });
    }

    public static void ConfigureKestrel(KestrelServerOptions kestrel, HttpLimits limits)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(limits);
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestLineSize = limits.MaxRequestLineSize;
        kestrel.Limits.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersSize;
        kestrel.Limits.MaxRequestHeaderCount = limits.MaxRequestHeaderCount;
        kestrel.Limits.MaxRequestBodySize = limits.MaxRequestBodySize;
        kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
        kestrel.Limits.KeepAliveTimeout = limits.KeepAliveTimeout;
    }

    /// <summary>
    /// Adds the middleware (request counting outermost, then errors as problem+json, then API keys)
    /// and maps <c>/metrics</c>, <c>/openapi/v1.json</c> and <c>/swagger</c>. Middleware runs in the
    /// order it is added: call this after other error handlers so that this one sees errors first.
    /// </summary>
    public static WebApplication UseGatewayOperations(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<HttpMetricsMiddleware>();
        app.UseMiddleware<ProblemExceptionMiddleware>();
        app.UseStatusCodePages(context => Problems.WriteAsync(
            context.HttpContext,
            context.HttpContext.Response.StatusCode,
            Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(context.HttpContext.Response.StatusCode),
            Problems.DetailOf(context.HttpContext) ?? $"{context.HttpContext.Request.Method} {context.HttpContext.Request.Path} failed."));
        // Only /swagger requests pass through the Swagger UI: every other request skips its async frame.
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(SwaggerPath, StringComparison.OrdinalIgnoreCase),
            swagger => swagger.UseSwaggerUI(ui =>
            {
                ui.RoutePrefix = SwaggerPrefix;
                ui.DocumentTitle = "ActorChain API";
                ui.SwaggerEndpoint(DocumentPath, "ActorChain v1");
            }));

        var gate = app.Services.GetRequiredService<ApiKeyGate>();
        if (gate.Enabled)
        {
            OperationsLog.ApiKeysEnabled(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GatewayOperations)), app.Services.GetRequiredService<GatewayOperationsOptions>().ApiKeys.Count);
        }

        app.UseMiddleware<ApiKeyMiddleware>();

        app.MapOpenApi("/openapi/{documentName}.json");
        var metrics = app.Services.GetRequiredService<GatewayMetrics>();
        app.MapGet(MetricsPath, () => Results.Text(metrics.Scrape(), PrometheusTextWriter.ContentType))
            .WithName("getMetrics")
            .WithSummary("Prometheus metrics (text exposition format 0.0.4), names prefixed actorchain_.")
            .WithTags("operations");
        return app;
    }

    /// <summary>The chain's families: decided height, blocks and entries, proposals, nacks, mempool, commit latency.</summary>
    public static void WriteChain(PrometheusTextWriter writer, ChainMetrics chain, ChainHead head)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(chain);
        writer.Gauge("actorchain_chain_height", "Height of this node's decided head (its journal may be a batch behind).", head.Height);
        writer.Counter("actorchain_blocks_decided_total", "Decided blocks made durable on this node since it started.", chain.BlocksDecided);
        writer.Counter("actorchain_entries_decided_total", "Entries in the decided blocks made durable on this node since it started.", chain.EntriesDecided);
        writer.Family(
            "actorchain_proposals_total",
            "Proposer attempts of this node by outcome: won (a quorum accepted), lost (refused by a quorum or overtaken by another proposer), timed_out (no quorum answered in time).",
            "counter",
            [
                ([("outcome", "won")], chain.ProposalsWon),
                ([("outcome", "lost")], chain.ProposalsLost),
                ([("outcome", "timed_out")], chain.ProposalsTimedOut),
            ]);
        writer.Family(
            "actorchain_nacks_total",
            "Nacks this node's proposer received, by reason.",
            "counter",
            chain.Nacks().Select(n => ((IReadOnlyList<(string, string)>)[("reason", n.Reason)], (double)n.Count)));
        writer.Counter("actorchain_consensus_ticks_total", "Wake-ups of this node's consensus timer: every tick interval while work is pending, once a status interval while idle.", chain.Ticks);
        writer.Gauge("actorchain_chain_blocks_in_memory", "Decided blocks this node holds in memory; older ones are read back from its journal.", chain.BlocksInMemory);
        writer.Gauge("actorchain_mempool_entries", "Entries waiting in this node's mempool.", chain.MempoolEntries);
        writer.Gauge("actorchain_mempool_bytes", "Entry bytes waiting in this node's mempool.", chain.MempoolBytes);
        var (cumulative, sum) = chain.CommitLatency.Snapshot();
        writer.Histogram(
            "actorchain_commit_latency_seconds",
            "Time from a submission on this node to its entry's commit, as the submitting client waits for it.",
            chain.CommitLatency.Bounds,
            cumulative,
            sum);
    }
}
