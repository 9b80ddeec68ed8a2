using ActorChain.Chain;
using ActorChain.Consensus.Paxos;

namespace ActorChain.Consensus.Node;

/// <summary>Node-to-node messages besides the Paxos instance itself: mempool spreading and catch-up.</summary>
public static class ConsensusProtocol
{
    /// <summary>Entries submitted at one node, spread to every peer's mempool so whoever proposes next includes them.</summary>
    public sealed record MempoolForward(IReadOnlyList<Entry> Entries) : IConsensusMessage;

    /// <summary>Periodic gossip of the sender's head, so a node that missed a Decided learns it is behind.</summary>
    public sealed record HeadStatus(long Height, Hash256 HeadHash) : IConsensusMessage;

    /// <summary>Asks a peer for its decided blocks from <see cref="FromHeight"/>, at most <see cref="MaxBlocks"/>.</summary>
    public sealed record CatchUpRequest(long FromHeight, int MaxBlocks) : IConsensusMessage;

    /// <summary>Decided blocks in height order from <see cref="FromHeight"/> (empty when the sender has none), and the sender's head.</summary>
    public sealed record CatchUpBlocks(long FromHeight, IReadOnlyList<Block> Blocks, long SenderHead) : IConsensusMessage;
}
