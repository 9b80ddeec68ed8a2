using ActorChain.Consensus.Paxos;

namespace ActorChain.Consensus.Actors;

/// <summary>What one node's chain actor sends another's over remoting.</summary>
internal static class ChainPeerProtocol
{
    /// <summary>Every consensus message travels in one, so the receiver knows the sending node's id (ballots and replies are keyed by it).</summary>
    public sealed record PeerEnvelope(string From, IConsensusMessage Message);

    /// <summary>Read index: asks a voter for the highest height that may already be decided.</summary>
    public sealed record ReadIndexQuery(long RequestId) : IConsensusMessage;

    /// <summary>The voter's decided head, or the highest height where it accepted a block when higher (that block may be chosen).</summary>
    public sealed record ReadIndexReply(long RequestId, long Height) : IConsensusMessage;
}
