using ActorChain.Actors;
using Microsoft.Extensions.Logging;

namespace ActorChain.Cluster;

/// <summary>EventIds 3500–3599: the remote cluster transport (within ActorChain.Cluster's 3000–3999).</summary>
internal static partial class ClusterTransportLog
{
    [LoggerMessage(EventId = 3500, Level = LogLevel.Debug, Message = "Dropped a cluster {MessageType} to {Recipient}: {Reason}")]
    public static partial void SendFailed(ILogger logger, string messageType, Address recipient, string reason);

    [LoggerMessage(EventId = 3501, Level = LogLevel.Information, Message = "Member {Node} is gone ({Status}); remote watchers of its actors get Terminated")]
    public static partial void AddressTerminated(ILogger logger, Address node, MemberStatus status);
}
