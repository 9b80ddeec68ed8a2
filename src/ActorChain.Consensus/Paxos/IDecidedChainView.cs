using ActorChain.Chain;
using ActorChain.Chain.Signing;

namespace ActorChain.Consensus.Paxos;

/// <summary>The node's decided chain as the acceptor and proposer see it: only decided blocks, genesis at 0.</summary>
internal interface IDecidedChainView
{
    /// <summary>Height of the last decided block (0 = only genesis).</summary>
    long Head { get; }

    bool TryGetHash(long height, out Hash256 hash);

    bool TryGetBlock(long height, out Block block);

    /// <summary>The voters' keys when the chain's blocks are signed; null when they are not.</summary>
    VoterKeyHistory? VoterKeys => null;
}
