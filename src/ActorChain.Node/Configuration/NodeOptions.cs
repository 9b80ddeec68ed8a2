using ActorChain.Hocon;

namespace ActorChain.Node.Configuration;

/// <summary>The <c>actorchain</c> section, bound from HOCON with dashes dropped (<c>http-port</c> → <c>HttpPort</c>).</summary>
internal sealed class ActorChainOptions
{
    public string ClusterId { get; set; } = "actorchain-local";

    public NodeSection Node { get; set; } = new();

    public ClusterSection Cluster { get; set; } = new();

    public RemoteSection Remote { get; set; } = new();
}

internal sealed class NodeSection
{
    /// <summary>Empty means the machine's host name.</summary>
    public string Id { get; set; } = string.Empty;

    public string Hostname { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 4053;

    public int HttpPort { get; set; } = 8081;

    public string Data { get; set; } = "./data";

    /// <summary>How long a stopping node waits for the cluster to see it leave before it stops anyway.</summary>
    public TimeSpan LeaveTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

internal sealed class ClusterSection
{
    public string[] SeedNodes { get; set; } = [];

    public string SharedSecret { get; set; } = string.Empty;
}

/// <summary><c>actorchain.remote</c>; sizes are HOCON sizes, so they bind to <see cref="ByteSize"/> and are range-checked into ints.</summary>
internal sealed class RemoteSection
{
    public ByteSize MaxFrameSize { get; set; } = new(4 * 1024 * 1024);

    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public int OutboundQueueCapacity { get; set; } = 65_536;

    public TimeSpan ReconnectMinBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan ReconnectMaxBackoff { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public ByteSize FlushThreshold { get; set; } = new(64 * 1024);
}
