using ActorChain.Actors;
using ActorChain.Consensus.Actors;
using ActorChain.Gateway.Replication;
using ActorChain.Persistence;
using Microsoft.Extensions.Logging;

namespace ActorChain.Gateway;

/// <summary>
/// What the application routes of one node need: its id, its chain, its file store and the actor system the upload actor runs in;
/// <paramref name="Replication"/> when the store is this node's own (its bytes are copied from peers), null when it is shared.
/// </summary>
internal sealed record GatewayContext(
    string NodeId,
    IChainService Chain,
    IFileStore Files,
    GatewayOptions Options,
    ILoggerFactory LoggerFactory,
    ActorSystem System,
    FileReplicationSetup? Replication = null);

/// <summary>How the node's <see cref="FileReplicator"/> runs and finds its peers.</summary>
internal sealed record FileReplicationSetup(FileReplicationOptions Options, IReplicaPeers Peers);
