using ActorChain.Chain;
using static ActorChain.Consensus.Paxos.PaxosProtocol;

namespace ActorChain.Consensus.Paxos;

internal enum AttemptPhase
{
    Created,
    Preparing,
    Accepting,
    Decided,
    Failed,
}

/// <summary>A message for one voter.</summary>
internal readonly record struct Outgoing(string To, IConsensusMessage Message);

/// <summary>How an attempt ended.</summary>
internal abstract record AttemptOutcome
{
    /// <summary>
    /// A quorum accepted <see cref="Block"/>. <see cref="Adopted"/>: it was a block a promise carried, not our candidate.
    /// <see cref="Next"/>: the same quorum also promised our ballot at the next height (phase 1 there is done).
    /// </summary>
    public sealed record Decided(Block Block, bool Adopted, PreparedHeight? Next = null) : AttemptOutcome;

    /// <summary>
    /// The quorum can no longer be reached (or the attempt timed out). <see cref="HighestBallot"/>
    /// is the highest ballot a nack named (the next round goes above it);
    /// <see cref="LearnedBlock"/> is the decided block an acceptor reported.
    /// </summary>
    public sealed record Failed(string Reason, Ballot HighestBallot, Block? LearnedBlock, bool TimedOut) : AttemptOutcome;
}

/// <summary>
/// Phase 1 of one height already won: a quorum of <see cref="Voters"/> promised <see cref="Ballot"/>
/// at <see cref="Height"/>; <see cref="Adopt"/> is the highest-ballot block those promises reported
/// (it must be proposed instead of a new candidate), null when none did.
/// </summary>
internal sealed record PreparedHeight(long Height, Ballot Ballot, IReadOnlySet<string> Voters, Block? Adopt);

/// <summary>What the attempt wants done after an input: messages to send and, once, its outcome.</summary>
internal readonly record struct AttemptStep(IReadOnlyList<Outgoing> Messages, AttemptOutcome? Outcome)
{
    public static AttemptStep None { get; } = new([], null);
}

/// <summary>
/// One proposer attempt at height h = head + 1 with one ballot: Prepare to every voter of h,
/// count promises and nacks against Q = ⌊N/2⌋+1, adopt the highest accepted block or build a
/// candidate, Accept, count again. Pure: no clock (the owner calls <see cref="Timeout"/>) and
/// no I/O (the owner sends the messages and feeds the replies back).
/// </summary>
internal sealed class ProposerAttempt
{
    private readonly IReadOnlySet<string> _voters;
    private readonly Block _previous;
    private readonly Func<Block, Block> _buildCandidate;
    private readonly HashSet<string> _acks = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nacks = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nextPromises = new(StringComparer.Ordinal);
    private Ballot _highestAccepted = Ballot.Zero;
    private Block? _adopt;
    private Ballot _highestNack = Ballot.Zero;
    private Ballot _nextHighestAccepted = Ballot.Zero;
    private Block? _nextAdopt;
    private bool _prepared;

    /// <remarks>
    /// <c>previous</c>: The decided block h-1 the candidate builds on.
    /// <c>voters</c>: The voter set of height h (the ledger's voters after block h-1).
    /// <c>buildCandidate</c>: Builds our block on h-1 from the mempool when no promise carries one.
    /// </remarks>
    public ProposerAttempt(Block previous, Ballot ballot, IReadOnlyCollection<string> voters, Func<Block, Block> buildCandidate)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(voters);
        ArgumentNullException.ThrowIfNull(buildCandidate);
        if (voters.Count == 0)
        {
            throw new ArgumentException("A height needs at least one voter.", nameof(voters));
        }

        _previous = previous;
        Height = previous.Height + 1;
        Ballot = ballot;
        _voters = new HashSet<string>(voters, StringComparer.Ordinal);
        _buildCandidate = buildCandidate;
        Quorum = (_voters.Count / 2) + 1;
    }

    public long Height { get; }

    public Ballot Ballot { get; }

    public int Quorum { get; }

    public int VoterCount => _voters.Count;

    public bool IsVoter(string nodeId) => _voters.Contains(nodeId);

    public AttemptPhase Phase { get; private set; }

    /// <summary>The block sent in phase 2 (null before it).</summary>
    public Block? Proposed { get; private set; }

    public AttemptOutcome? Outcome { get; private set; }

    private int FailAt => _voters.Count - Quorum + 1;

    /// <summary>
    /// An attempt whose phase 1 the previous height's Accepts already ran (<paramref name="prepared"/>):
    /// <see cref="Start"/> goes straight to phase 2 with the prepared ballot. Valid only when the
    /// promises came from a quorum of this height's voters.
    /// </summary>
    public static ProposerAttempt FromPrepared(Block previous, PreparedHeight prepared, IReadOnlyCollection<string> voters, Func<Block, Block> buildCandidate)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var attempt = new ProposerAttempt(previous, prepared.Ballot, voters, buildCandidate);
        if (prepared.Height != attempt.Height || !attempt._voters.SetEquals(prepared.Voters))
        {
            throw new ArgumentException($"Phase 1 was won at height {prepared.Height} among other voters; this attempt is for {attempt.Height}.", nameof(prepared));
        }

        attempt._adopt = prepared.Adopt;
        attempt._prepared = true;
        return attempt;
    }

    /// <summary>True when <see cref="Start"/> skips phase 1 (see <see cref="FromPrepared"/>).</summary>
    public bool SkipsPhase1 => _prepared;

    public AttemptStep Start()
    {
        if (Phase != AttemptPhase.Created)
        {
            throw new InvalidOperationException("An attempt starts once.");
        }

        if (_prepared)
        {
            return new(BeginAccept(), null);
        }

        Phase = AttemptPhase.Preparing;
        return new(ToVoters(new Prepare(Height, Ballot)), null);
    }

    public AttemptStep Handle(string from, IPaxosMessage message)
    {
        if (Outcome is not null || message.Height != Height || !_voters.Contains(from))
        {
            return AttemptStep.None;
        }

        switch (message)
        {
            case Promise promise when Phase == AttemptPhase.Preparing && promise.Ballot == Ballot:
                return OnPromise(from, promise);
            case Accepted accepted when Phase == AttemptPhase.Accepting && accepted.Ballot == Ballot:
                return Ack(from, accepted.Next);
            case Reject reject when reject.Ballot == Ballot:
                _highestNack = Ballot.Max(_highestNack, reject.HigherBallot);
                return Nack(from, reject.Reason == RejectReason.InvalidBlock ? "an acceptor found the block invalid" : $"ballot {reject.HigherBallot} promised");
            case Behind behind when behind.Ballot == Ballot:
                return Nack(from, $"{from} is behind at {behind.AcceptorHead}");
            case AlreadyDecided decided when decided.Block.Height == Height:
                return Finish(new AttemptOutcome.Failed($"height {Height} is already decided", _highestNack, decided.Block, TimedOut: false));
            default:
                return AttemptStep.None;
        }
    }

    /// <summary>The owner's deadline passed before a quorum answered.</summary>
    public AttemptStep Timeout() =>
        Outcome is not null
            ? AttemptStep.None
            : Finish(new AttemptOutcome.Failed($"no quorum in phase {Phase}", _highestNack, null, TimedOut: true));

    private AttemptStep OnPromise(string from, Promise promise)
    {
        if (!_acks.Add(from))
        {
            return AttemptStep.None;
        }

        if (promise.AcceptedBlock is { } block && promise.AcceptedBallot is { } accepted && (_adopt is null || accepted > _highestAccepted))
        {
            _highestAccepted = accepted;
            _adopt = block;
        }

        if (_acks.Count < Quorum)
        {
            return AttemptStep.None;
        }

        return new(BeginAccept(), null);
    }

    // Phase 2: a block some quorum may already have chosen must be the one we propose. Every Accept
    // also asks for a promise at the next height, so a win here prepares the next one.
    private List<Outgoing> BeginAccept()
    {
        var block2 = _adopt ?? _buildCandidate(_previous);
        if (block2.Height != Height || block2.PrevHash != _previous.Hash)
        {
            throw new InvalidOperationException($"The block for height {Height} must link to block {_previous.Height} ({_previous.Hash}).");
        }

        Proposed = block2;
        Phase = AttemptPhase.Accepting;
        _acks.Clear();
        _nacks.Clear();
        return ToVoters(new Accept(Height, Ballot, block2, PrepareNext: true));
    }

    private AttemptStep Ack(string from, NextPromise? next)
    {
        if (!_acks.Add(from))
        {
            return AttemptStep.None;
        }

        if (next is not null)
        {
            _nextPromises.Add(from);
            if (next.AcceptedBlock is { } block && next.AcceptedBallot is { } ballot && (_nextAdopt is null || ballot > _nextHighestAccepted))
            {
                _nextHighestAccepted = ballot;
                _nextAdopt = block;
            }
        }

        if (_acks.Count < Quorum)
        {
            return AttemptStep.None;
        }

        // Phase 1 of the next height counts only if the promises themselves form a quorum.
        var prepared = _nextPromises.Count >= Quorum ? new PreparedHeight(Height + 1, Ballot, _voters, _nextAdopt) : null;
        var decided = Proposed!;
        var step = Finish(new AttemptOutcome.Decided(decided, Adopted: _adopt is not null, prepared));

        // The voters that accepted hold the block: they get its hash, the others the block.
        var chosen = new Chosen(Height, Ballot, decided.Hash);
        var full = new Decided(Height, decided);
        var messages = new List<Outgoing>(_voters.Count);
        foreach (var voter in _voters.Order(StringComparer.Ordinal))
        {
            messages.Add(new Outgoing(voter, _acks.Contains(voter) ? chosen : full));
        }

        return new(messages, step.Outcome);
    }

    private AttemptStep Nack(string from, string why)
    {
        if (!_nacks.Add(from) || _nacks.Count < FailAt)
        {
            return AttemptStep.None;
        }

        return Finish(new AttemptOutcome.Failed($"{_nacks.Count} of {_voters.Count} voters refused ({why})", _highestNack, null, TimedOut: false));
    }

    private AttemptStep Finish(AttemptOutcome outcome)
    {
        Outcome = outcome;
        Phase = outcome is AttemptOutcome.Decided ? AttemptPhase.Decided : AttemptPhase.Failed;
        return new([], outcome);
    }

    private List<Outgoing> ToVoters(IConsensusMessage message)
    {
        var messages = new List<Outgoing>(_voters.Count);
        foreach (var voter in _voters.Order(StringComparer.Ordinal))
        {
            messages.Add(new Outgoing(voter, message));
        }

        return messages;
    }
}
