using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using ActorChain.Consensus.Paxos;

namespace ActorChain.Consensus.Node;

/// <summary>
/// What a <see cref="ConsensusNode"/> asks its driver to do. The driver carries effects out in
/// list order and finishes each <see cref="PersistAcceptor"/> durably before any send or client
/// answer after it: that order is what makes a promise survive a crash and an acknowledged entry
/// survive a restart (its block was accepted durably by a quorum, this node's acceptance included
/// when it counted). Neither a send nor an answer needs to wait for a block: a decided block is
/// chosen whether or not this node journaled it yet, and a crash before the journal write loses only
/// this node's copy, which catch-up fetches again.
/// </summary>
public abstract record ConsensusEffect
{
    private protected ConsensusEffect()
    {
    }

    /// <summary>Send to one peer (never to this node: the node delivers to itself).</summary>
    public sealed record Send(string To, IConsensusMessage Message) : ConsensusEffect;

    /// <summary>Append to the acceptor log and fsync before anything later in the list.</summary>
    public sealed record PersistAcceptor(AcceptorRecord Record) : ConsensusEffect;

    /// <summary>A decided block joined the local chain at its height: journal it, in height order (clients need not wait for it).</summary>
    public sealed record AppendBlock(Block Block, LedgerApplyResult Applied) : ConsensusEffect;

    /// <summary>A client's entry is in the chain: answer every caller waiting on <see cref="EntryId"/>.</summary>
    public sealed record EntryCommitted(string EntryId, long Height, Hash256 BlockHash, EntryStatus Status, string? Reason) : ConsensusEffect;

    /// <summary>The acceptor refused a proposed block as invalid (e.g. its signature does not verify); the driver logs <see cref="Reason"/>.</summary>
    public sealed record BlockRefused(long Height, string From, string Proposer, string Reason) : ConsensusEffect;

    /// <summary>The entry was not taken (mempool full or entry too large); nothing was stored.</summary>
    public sealed record SubmissionRejected(string EntryId, string Message, MempoolAdmission Reason = MempoolAdmission.Full) : ConsensusEffect;
}
