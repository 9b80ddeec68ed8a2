using ActorChain.Gateway;
using ActorChain.Gateway.Replication;
using ActorChain.Node.Chain;
using ActorChain.Node.Storage;
using ActorChain.Persistence;
using ActorChain.Remote.Actors;

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

        // Registered before the node joins: a peer's first fetch must decode.
        ReplicationWire.Register(Remoting.Serializers);
        var files = CreateFileStore();

        // A shared store (a folder every node mounts, or one Azure Blob container) has every node's
        // uploads already: copying between nodes would only move bytes onto themselves.
        var replication = Settings.Gateway.FilesShared || files is not LocalFileStore
            ? null
            : new FileReplicationSetup(
                new FileReplicationOptions { TempDirectory = Path.Combine(Settings.DataDirectory, "files-incoming") },
                new ChainPeers(Chain, Remoting, Settings.ClusterId));
        var context = new GatewayContext(Settings.NodeId, ChainService, files, options, Web.Services.GetRequiredService<ILoggerFactory>(), System, replication);
        Web.UseGatewayWebPage();
        Web.MapGateway(context);
    }

    private IFileStore CreateFileStore() =>
        NodeStorage.CreateFileStore(Settings, Web.Services.GetRequiredService<ILoggerFactory>());

    /// <summary>The file replicators of the chain's peers: the same membership view, not a second one.</summary>
    private sealed class ChainPeers(NodeChain chain, Remoting remoting, string systemName) : IReplicaPeers
    {
        public IReadOnlyList<ReplicaPeer> Current() =>
            [.. chain.PeerAddresses.Select(p => new ReplicaPeer(
                p.Key, remoting.Resolve($"actorchain://{systemName}@{p.Value}/user/{FileReplicationOptions.ActorName}")))];
    }
}
