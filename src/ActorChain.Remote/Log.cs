using System.Net;
using ActorChain.Remote.Handshake;
using Microsoft.Extensions.Logging;

namespace ActorChain.Remote;

/// <summary>ActorChain.Remote logs in EventId range 2000–2999.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Remote transport of node {NodeId} listening on {Address}")]
    public static partial void Listening(ILogger logger, string nodeId, RemoteAddress address);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Connected to {Peer} ({Direction}, remote endpoint {RemoteEndPoint})")]
    public static partial void PeerConnected(ILogger logger, PeerId peer, string direction, EndPoint? remoteEndPoint);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Disconnected from {Peer}: {Reason}")]
    public static partial void PeerDisconnected(ILogger logger, PeerId peer, string reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Refused connection from {RemoteEndPoint}: {Refusal} ({Detail})")]
    public static partial void HandshakeRefused(ILogger logger, EndPoint? remoteEndPoint, HandshakeRefusal refusal, string detail);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Closing connection to {Peer} ({RemoteEndPoint}): malformed frame: {Reason}")]
    public static partial void MalformedFrame(ILogger logger, PeerId peer, EndPoint? remoteEndPoint, string reason);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Debug, Message = "Duplicate connection to {Peer}: keeping the one dialed by {KeptDialer}")]
    public static partial void DuplicateConnection(ILogger logger, PeerId peer, string keptDialer);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Debug, Message = "Dialing {Address} failed (attempt {Attempt}), retrying in {Backoff}: {Reason}")]
    public static partial void DialFailed(ILogger logger, RemoteAddress address, int attempt, TimeSpan backoff, string reason);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "{Count} message(s) to {Peer} lost with a broken connection")]
    public static partial void MessagesLost(ILogger logger, PeerId peer, long count);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "Outbound queue to {Address} is full; dropping messages ({Dropped} dropped so far)")]
    public static partial void QueueFull(ILogger logger, RemoteAddress address, long dropped);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Error, Message = "Inbound handler failed on an envelope from {Peer} to {Recipient}")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, PeerId peer, string recipient);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "Closing connection to {Peer}: nothing received for {IdleTimeout}")]
    public static partial void IdleTimeout(ILogger logger, PeerId peer, TimeSpan idleTimeout);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Error, Message = "Accepting connections failed")]
    public static partial void AcceptFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Debug, Message = "Peer {Peer} restarted (new incarnation); replacing its old connection")]
    public static partial void PeerRestarted(ILogger logger, PeerId peer);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Warning, Message = "Refused TLS connection {Direction} {RemoteEndPoint}: {Reason}")]
    public static partial void TlsRefused(ILogger logger, string direction, EndPoint? remoteEndPoint, string reason);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Information, Message = "Remote transport of node {NodeId} uses TLS with certificate '{Subject}' (expires {NotAfter:u})")]
    public static partial void TlsEnabled(ILogger logger, string nodeId, string subject, DateTime notAfter);
}
