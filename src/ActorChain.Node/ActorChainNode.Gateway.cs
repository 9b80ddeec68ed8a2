using ActorChain.Gateway;
using ActorChain.Node.Storage;
using ActorChain.Persistence;

namespace ActorChain.Node;

/// <summary>The application routes (files, metadata, search, tasks) and the web page, from ActorChain.Gateway.</summary>
internal sealed partial class ActorChainNode
{
    private void MapGatewayEndpoints()
    {
        var options = new GatewayOptions
        {
            MaxFileSize = Settings.Gateway.MaxFileSize,
            ContentTypes = new HashSet<string>(Settings.Gateway.ContentTypes, StringComparer.OrdinalIgnoreCase),
            WriteTimeout = Settings.Gateway.WriteTimeout,
        };
        var context = new GatewayContext(Settings.NodeId, ChainService, CreateFileStore(), options, Web.Services.GetRequiredService<ILoggerFactory>(), System);
        Web.UseGatewayWebPage();
        Web.MapGateway(context);
    }

    private IFileStore CreateFileStore() =>
        NodeStorage.CreateFileStore(Settings, Web.Services.GetRequiredService<ILoggerFactory>());
}
