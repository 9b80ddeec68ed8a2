using ActorChain.Actors;

namespace ActorChain.Cluster;

/// <summary>
/// What the membership layer needs from a network: best-effort, unordered-across-peers delivery
/// of <see cref="ClusterProtocol.IClusterMessage"/>s by node address, and hints when a link comes
/// up or goes down. Messages may be lost; the protocol retries and gossips, so an implementation
/// should drop rather than block or buffer without bound.
/// </summary>
public interface IClusterTransport
{
    /// <summary>This node's address (<c>actorchain://system@host:port</c>); it must match the actor system's.</summary>
    Address LocalAddress { get; }

    /// <summary>Called once by <see cref="Cluster.Start(ActorSystem, IClusterTransport, ClusterSettings)"/>; from then on inbound messages and link changes go to <paramref name="listener"/>.</summary>
    void Attach(IClusterTransportListener listener);

    /// <summary>Called when the cluster stops; no further calls reach the listener after it returns.</summary>
    void Detach();

    /// <summary>Fire and forget. Never throws for an unknown or unreachable recipient.</summary>
    void Send(Address recipient, ClusterProtocol.IClusterMessage message);
}

/// <summary>The cluster side of the seam. Thread-safe: implementations only enqueue to the cluster daemon.</summary>
public interface IClusterTransportListener
{
    /// <summary><paramref name="sender"/> is the transport's view of the peer (the connection's remote address).</summary>
    void OnMessage(Address sender, ClusterProtocol.IClusterMessage message);

    void OnPeerConnected(Address peer);

    void OnPeerDisconnected(Address peer);
}
