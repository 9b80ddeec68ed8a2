using ActorChain.Chain;

namespace ActorChain.Consensus.Paxos;

/// <summary>Every message a consensus node sends to a peer (the wire codec maps each to a frame type).</summary>
public interface IConsensusMessage;

/// <summary>A message about one height's Paxos instance: replies name height and ballot so stale ones are ignored.</summary>
public interface IPaxosMessage : IConsensusMessage
{
    long Height { get; }
}

/// <summary>Why an acceptor refused a Prepare or an Accept.</summary>
public enum RejectReason : byte
{
    /// <summary>The acceptor promised a higher ballot (carried in the reply).</summary>
    BallotTooLow = 1,

    /// <summary>The block does not follow the acceptor's decided block h-1; the proposer's view is wrong.</summary>
    InvalidBlock = 2,
}

/// <summary>Single-decree Paxos per height (DESIGN.md §4).</summary>
public static class PaxosProtocol
{
    /// <summary>Phase 1a.</summary>
    public sealed record Prepare(long Height, Ballot Ballot) : IPaxosMessage;

    /// <summary>Phase 1b: the acceptor will not accept below <see cref="Ballot"/>, and reports what it accepted at this height.</summary>
    public sealed record Promise(long Height, Ballot Ballot, Ballot? AcceptedBallot, Block? AcceptedBlock) : IPaxosMessage;

    /// <summary>
    /// Phase 2a. With <see cref="PrepareNext"/> it is also phase 1a for height + 1 under the same
    /// ballot: an acceptor that accepts answers with a <see cref="NextPromise"/> as well, so a
    /// proposer that wins this height may skip phase 1 at the next one (one round trip per block
    /// while nobody else proposes; any higher ballot still preempts it).
    /// </summary>
    public sealed record Accept(long Height, Ballot Ballot, Block Block, bool PrepareNext = false) : IPaxosMessage;

    /// <summary>Phase 2b; <see cref="Next"/> is the phase 1b for height + 1 when the Accept asked for one and the acceptor promised.</summary>
    public sealed record Accepted(long Height, Ballot Ballot, NextPromise? Next = null) : IPaxosMessage;

    /// <summary>A promise of the Accepted's ballot at height + 1, with what the acceptor had accepted there (null: nothing).</summary>
    public sealed record NextPromise(Ballot? AcceptedBallot, Block? AcceptedBlock);

    /// <summary>Nack: the acceptor promised <see cref="HigherBallot"/>, or (with <see cref="RejectReason.InvalidBlock"/>) the block is not valid on its chain.</summary>
    public sealed record Reject(long Height, Ballot Ballot, Ballot HigherBallot, RejectReason Reason = RejectReason.BallotTooLow) : IPaxosMessage;

    /// <summary>Nack: the height is already decided on the acceptor; here is the block.</summary>
    public sealed record AlreadyDecided(long Height, Block Block) : IPaxosMessage;

    /// <summary>Nack: the acceptor lacks block h-1 and cannot judge; it is catching up.</summary>
    public sealed record Behind(long Height, Ballot Ballot, long AcceptorHead) : IPaxosMessage;

    /// <summary>A quorum accepted <see cref="Block"/> at <see cref="Height"/>: every node appends it.</summary>
    public sealed record Decided(long Height, Block Block) : IPaxosMessage;

    /// <summary>
    /// <see cref="Decided"/> without the block, for a voter that accepted it under <see cref="Ballot"/>
    /// and so holds it; a receiver whose accepted block has another hash fetches the height instead.
    /// </summary>
    public sealed record Chosen(long Height, Ballot Ballot, Hash256 BlockHash) : IPaxosMessage;
}
