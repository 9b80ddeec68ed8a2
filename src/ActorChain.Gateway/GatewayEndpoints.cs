using ActorChain.Gateway.Replication;
using ActorChain.Gateway.Uploads;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace ActorChain.Gateway;

/// <summary>How a node mounts the application routes of docs/http-api.md (files, metadata, search, tasks) and the web page.</summary>
internal static class GatewayEndpoints
{
    public const string ActorName = "gateway";

    /// <summary>
    /// Starts the node's <see cref="HttpGatewayActor"/> at /user/gateway, its <see cref="FileReplicator"/> at
    /// /user/file-replicator when the context has a replication setup, and maps the routes.
    /// </summary>
    public static GatewayApi MapGateway(this IEndpointRouteBuilder endpoints, GatewayContext context)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(context);
        var actor = context.System.ActorOf(HttpGatewayActor.Props(context), ActorName);
        var replicator = context.Replication is { } replication
            ? context.System.ActorOf(
                FileReplicator.Props(
                    context.NodeId, context.Chain, context.Files, replication.Peers, actor, replication.Options,
                    context.LoggerFactory.CreateLogger<FileReplicator>()),
                FileReplicationOptions.ActorName)
            : null;
        var api = new GatewayApi(context, actor, replicator);
        api.Map(endpoints);
        return api;
    }

    /// <summary>
    /// Serves the web page (index.html at /) from the <c>wwwroot</c> folder next to the executable,
    /// when there is one; a node built without it still serves the API.
    /// </summary>
    public static IApplicationBuilder UseGatewayWebPage(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var root = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (!System.IO.Directory.Exists(root))
        {
            return app;
        }

        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        return app;
    }
}
