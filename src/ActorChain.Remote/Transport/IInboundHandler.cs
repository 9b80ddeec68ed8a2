namespace ActorChain.Remote.Transport;

/// <summary>
/// Receives every envelope that arrives on an authenticated connection, in the order the peer sent
/// them. Called on the connection's receive loop: return quickly (hand off to a mailbox); while it
/// runs, that peer's connection reads nothing more.
/// </summary>
public interface IInboundHandler
{
    void OnEnvelope(PeerId from, in RemoteEnvelope envelope);
}
