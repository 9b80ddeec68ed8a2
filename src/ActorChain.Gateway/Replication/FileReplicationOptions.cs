using ActorChain.Actors;

namespace ActorChain.Gateway.Replication;

/// <summary>How a node copies uploaded bytes from its peers (docs/protocol.md §13).</summary>
internal sealed record FileReplicationOptions
{
    public const string ActorName = "file-replicator";

    /// <summary>Where a copy is assembled before its hash is checked and it enters the file store.</summary>
    public required string TempDirectory { get; init; }

    public int MaxConcurrentFiles { get; init; } = 2;

    /// <summary>Chunks served at once; a fetch beyond this is answered Busy, so a slow disk cannot pile up reads.</summary>
    public int MaxServing { get; init; } = 4;

    public int ChunkSize { get; init; } = ReplicationWire.MaxChunkSize;

    /// <summary>A chunk takes milliseconds on a healthy link; longer means the peer is down or cut off.</summary>
    public TimeSpan ChunkTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the chain is looked at for new file.add and file.delete entries.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long GET content waits for missing bytes to arrive before it answers 503.</summary>
    public TimeSpan ReadWait { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>A peer's replicator: node id (to try a file's origin first) and where to send fetches.</summary>
internal sealed record ReplicaPeer(string NodeId, IActorRef Replicator);

/// <summary>The node's current peers, from the same membership view the chain actor's peers come from.</summary>
internal interface IReplicaPeers
{
    IReadOnlyList<ReplicaPeer> Current();
}
