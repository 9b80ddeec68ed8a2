using Microsoft.Extensions.Logging;

namespace ActorChain.Consensus.Actors;

/// <summary>Event ids 5000–5099 are the chain actor's.</summary>
internal static partial class ChainLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Chain actor of {NodeId} started at height {Height} with peers {Peers}")]
    public static partial void Started(ILogger logger, string nodeId, long height, string peers);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Critical, Message = "Chain actor of {NodeId} stops: its store failed")]
    public static partial void StoreFailed(ILogger logger, string nodeId, Exception error);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Chain actor of {NodeId} learned peer {Peer} at {Path}")]
    public static partial void PeerLearned(ILogger logger, string nodeId, string peer, string path);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Debug, Message = "{NodeId} decided block {Height} {Hash}")]
    public static partial void BlockDurable(ILogger logger, string nodeId, long height, string hash);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "{NodeId} refused block {Height} of {Proposer} sent by {From}: {Reason}")]
    public static partial void BlockRefused(ILogger logger, string nodeId, long height, string proposer, string from, string reason);
}
