using ActorChain.Actors;
using Microsoft.Extensions.Logging;

namespace ActorChain.Remote.Actors;

/// <summary>Remote actor refs log in EventId range 2100–2199.</summary>
internal static partial class RemotingLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Remoting of actor system {System} started at {Address} (node {NodeId})")]
    public static partial void Started(ILogger logger, string system, Address address, string nodeId);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "Cannot send {MessageType} to {Recipient}; it goes to dead letters: {Reason}")]
    public static partial void CannotSend(ILogger logger, string messageType, ActorPath recipient, string reason);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Dropped an envelope from {Peer} to {Recipient} that does not decode: {Reason}")]
    public static partial void Undecodable(ILogger logger, PeerId peer, string recipient, string reason);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Debug, Message = "No local actor {Recipient} for {MessageType} from {Peer}; it goes to dead letters")]
    public static partial void UnknownRecipient(ILogger logger, string recipient, string messageType, PeerId peer);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Information, Message = "Address {Address} terminated: {Count} watch(es) of its actors reported as terminated")]
    public static partial void AddressTerminated(ILogger logger, RemoteAddress address, int count);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Debug, Message = "{Watcher} watches {Watchee}, which does not exist here")]
    public static partial void WatchOfMissingActor(ILogger logger, ActorPath watcher, ActorPath watchee);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Warning, Message = "Shutting down remoting of {System}: the actor system did not terminate within {Timeout}")]
    public static partial void ShutdownTimedOut(ILogger logger, string system, TimeSpan timeout);
}
