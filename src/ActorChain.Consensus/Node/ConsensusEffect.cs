using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using ActorChain.Consensus.Paxos;

namespace ActorChain.Consensus.Node;

/// <summary>
/// What a <see cref="ConsensusNode"/> asks its driver to do. The driver carries effects out in
/// list order and finishes each <see cref="PersistAcceptor"/> durably before any send after it,
/// and each <see cref="PersistAcceptor"/> and <see cref="AppendBlock"/> before any client answer
/// after it: that order is what makes a promise survive a crash and an acknowledged entry survive a
/// restart. A send need not wait for a block (a decided block is chosen whether or not this node
/// journaled it yet).
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

    /// <summary>A decided block joined the local chain at its height: journal it before anything later.</summary>
    public sealed record AppendBlock(Block Block, LedgerApplyResult Applied) : ConsensusEffect;

    /// <summary>A client's entry is in the chain: answer every caller waiting on <see cref="EntryId"/>.</summary>
    public sealed record EntryCommitted(string EntryId, long Height, Hash256 BlockHash, EntryStatus Status, string? Reason) : ConsensusEffect;

    /// <summary>The acceptor refused a proposed block as invalid (e.g. its signature does not verify); the driver logs <see cref="Reason"/>.</summary>
    public sealed record BlockRefused(long Height, string From, string Proposer, string Reason) : ConsensusEffect;

    /// <summary>The entry was not taken (mempool full or entry too large); nothing was stored.</summary>
    public sealed record SubmissionRejected(string EntryId, string Message, MempoolAdmission Reason = MempoolAdmission.Full) : ConsensusEffect;
}
