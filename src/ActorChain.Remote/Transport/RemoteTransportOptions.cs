using ActorChain.Remote.Framing;
using ActorChain.Remote.Tls;

namespace ActorChain.Remote.Transport;

/// <summary>The <c>actorchain.remote</c> settings (hocon/reference.conf documents each default).</summary>
public sealed record RemoteTransportOptions
{
    public required string NodeId { get; init; }

    public required string ClusterId { get; init; }

    /// <summary>The cluster's shared secret; peers prove they hold it, it never crosses the wire.</summary>
    public required byte[] SharedSecret { get; init; }

    /// <summary>The host name peers dial; it is advertised in the handshake.</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>0 binds any free port; <see cref="RemoteTransport.LocalAddress"/> then reports it.</summary>
    public int Port { get; init; }

    public int MaxFrameSize { get; init; } = FrameCodec.DefaultMaxFrameSize;

    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Messages waiting per peer while it is (re)connecting or slow; more are dropped and counted.</summary>
    public int OutboundQueueCapacity { get; init; } = 65_536;

    public TimeSpan ReconnectMinBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan ReconnectMaxBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>An idle connection sends a heartbeat frame this often.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A connection that receives nothing, not even a heartbeat, for this long is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The writer loop flushes when this many bytes are buffered, or when its queue runs dry.</summary>
    public int FlushThreshold { get; init; } = 64 * 1024;

    /// <summary>Mutual TLS around every connection, below the shared-secret handshake; null means plain TCP.</summary>
    public RemoteTlsOptions? Tls { get; init; }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(NodeId, nameof(NodeId));
        ArgumentException.ThrowIfNullOrEmpty(ClusterId, nameof(ClusterId));
        RemoteLimits.TextByteCount(NodeId, RemoteLimits.MaxNameBytes, "node id");
        RemoteLimits.TextByteCount(ClusterId, RemoteLimits.MaxNameBytes, "cluster id");
        ArgumentNullException.ThrowIfNull(SharedSecret, nameof(SharedSecret));
        if (SharedSecret.Length < 16)
        {
            throw new ArgumentException("The shared secret must be at least 16 bytes.", nameof(SharedSecret));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFrameSize, 1024, nameof(MaxFrameSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(OutboundQueueCapacity, 1, nameof(OutboundQueueCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HandshakeTimeout, TimeSpan.Zero, nameof(HandshakeTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatInterval, TimeSpan.Zero, nameof(HeartbeatInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(IdleTimeout, HeartbeatInterval, nameof(IdleTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ReconnectMinBackoff, TimeSpan.Zero, nameof(ReconnectMinBackoff));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReconnectMaxBackoff, ReconnectMinBackoff, nameof(ReconnectMaxBackoff));
        _ = new RemoteAddress(Hostname, Port);
    }
}
