using ActorChain.Actors;
using ActorChain.Consensus.Actors;
using ActorChain.Persistence;
using Microsoft.Extensions.Logging;

namespace ActorChain.Gateway;

/// <summary>What the application routes of one node need: its id, its chain, its file store and the actor system the upload actor runs in.</summary>
internal sealed record GatewayContext(
    string NodeId,
    IChainService Chain,
    IFileStore Files,
    GatewayOptions Options,
    ILoggerFactory LoggerFactory,
    ActorSystem System);
