namespace ActorChain.Remote.Handshake;

/// <summary>Why a connection was refused before any message on it was delivered.</summary>
public enum HandshakeRefusal
{
    /// <summary>The peer's proof does not match: it does not hold the cluster's shared secret.</summary>
    BadProof,
    ClusterMismatch,
    UnsupportedVersion,

    /// <summary>The peer did not finish the handshake within the handshake timeout.</summary>
    Timeout,

    /// <summary>The peer sent bytes that are not a handshake (bad frame, wrong frame type, bad fields).</summary>
    Malformed,

    /// <summary>The peer claims our own node id (a node dialing itself, or a copied config).</summary>
    SameNodeId,

    /// <summary>The connection ended before the handshake finished.</summary>
    ConnectionClosed,
}
