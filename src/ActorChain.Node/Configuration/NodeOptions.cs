namespace ActorChain.Node.Configuration;

/// <summary>The <c>actorchain</c> section, bound from HOCON with dashes dropped (<c>http-port</c> → <c>HttpPort</c>).</summary>
internal sealed class ActorChainOptions
{
    public string ClusterId { get; set; } = "actorchain-local";

    public NodeSection Node { get; set; } = new();

    public ClusterSection Cluster { get; set; } = new();
}

internal sealed class NodeSection
{
    /// <summary>Empty means the machine's host name.</summary>
    public string Id { get; set; } = string.Empty;

    public string Hostname { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 4053;

    public int HttpPort { get; set; } = 8081;

    public string Data { get; set; } = "./data";
}

internal sealed class ClusterSection
{
    public string[] SeedNodes { get; set; } = [];

    public string SharedSecret { get; set; } = string.Empty;
}
