namespace ActorChain.Remote.Framing;

/// <summary>The byte after every frame's length. Values are part of the wire protocol: never renumber.</summary>
internal enum FrameType : byte
{
    Handshake = 1,
    HandshakeAck = 2,
    Envelope = 3,
    Heartbeat = 4,

    /// <summary>The sender is shutting the connection down on purpose; no payload.</summary>
    Close = 5,

    /// <summary>
    /// Sent by the node with the lower node id, first after the handshake, on the one connection it
    /// keeps for the pair; the other node sends nothing on a connection until it sees this.
    /// </summary>
    Select = 6,
}
