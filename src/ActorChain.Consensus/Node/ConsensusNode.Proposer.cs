using ActorChain.Chain;
using ActorChain.Consensus.Paxos;

namespace ActorChain.Consensus.Node;

internal sealed partial class ConsensusNode
{
    private ProposerAttempt? _attempt;
    private long _attemptDeadline;
    private long _nextAttemptAt;
    private long _highestSeenRound;
    private long _lastProgressAt; // a block appended here, or a proposal accepted here: a proposer at work

    // Block linger (ConsensusOptions.BlockLingerMs): until when, and how many entries the block just won held.
    private long _lingerUntil;
    private int _lastWonEntries;

    // Phase 1 of head + 1 that our last winning Accepts already ran; used at most once (one value per ballot and height).
    private PreparedHeight? _prepared;

    // Who decided the last height we learned from its proposer (this node when it won): nodes send
    // their entries there and hold back their own attempts for a while, so proposers rarely duel.
    private string? _leader;

    /// <summary>Attempts started since the node was created (the simulation bounds contention with it).</summary>
    public long AttemptsStarted { get; private set; }

    /// <summary>
    /// When the proposer waits out a backoff or jitter with no attempt running: the time a
    /// <see cref="Tick"/> could start the next one. A driver may wake the node then rather than at
    /// its next periodic tick.
    /// </summary>
    public long? NextAttemptAtMs => _attempt is null && Math.Max(_nextAttemptAt, _lingerUntil) is var at && at > _now ? at : null;

    /// <summary>The node that decided the last height this node heard of from its winner (a hint, never a lease on safety).</summary>
    public string? Leader => _leader;

    /// <summary>Attempts that skipped phase 1 because the previous height's Accepts prepared it.</summary>
    public long PreparedAttempts { get; private set; }

    private bool IsLeading => string.Equals(_leader, NodeId, StringComparison.Ordinal);

    // Another node won the last height and our oldest entry is young: it has our entries (forwarded at
    // submit) and will propose them; after the patience runs out we propose ourselves, so a crashed or
    // partitioned leader delays entries but never strands them.
    private bool DeferringToLeader =>
        _leader is not null && !IsLeading
        && _mempool.OldestArrivalMs is { } oldest && _now - oldest < _options.LeaderPatienceMs;

    private bool HasWork()
    {
        if (_mempool.Count > 0 && IsLeading)
        {
            return true;
        }

        if (_mempool.LocalCount > 0 && !DeferringToLeader)
        {
            return true;
        }

        if (_mempool.OldestArrivalMs is { } oldest && _now - oldest >= _options.ForeignEntryDelayMs)
        {
            return true;
        }

        // A block accepted here for the open height whose proposer went quiet: finish it, or a
        // height some quorum may have chosen would stay unresolved until new work arrives.
        return _acceptor.GetAccepted(_chain.Head + 1) is not null && _now - _lastProgressAt >= _options.ForeignEntryDelayMs;
    }

    private void MaybeStartAttempt()
    {
        if (_attempt is not null || _now < _nextAttemptAt || !HasWork() || Lingering())
        {
            return;
        }

        var voters = _chain.Ledger.Voters;
        if (voters.Count == 0 || (_chain.VoterKeys is not null && !CanSign))
        {
            return;
        }

        var prepared = _prepared;
        _prepared = null;
        if (prepared is not null && prepared.Height == _chain.Head + 1 && IsLeading && prepared.Voters.SetEquals(voters))
        {
            _attempt = ProposerAttempt.FromPrepared(_chain.HeadBlock, prepared, voters, BuildCandidate);
            PreparedAttempts++;
        }
        else
        {
            var (ballot, record) = _acceptor.NextBallot(NodeId, _highestSeenRound);
            _highestSeenRound = ballot.Round;
            _effects.Add(new ConsensusEffect.PersistAcceptor(record));
            _attempt = new ProposerAttempt(_chain.HeadBlock, ballot, voters, BuildCandidate);
        }

        _attemptDeadline = _now + _options.AttemptTimeoutMs;
        AttemptsStarted++;
        OnAttemptStep(_attempt.Start());
    }

    // The winner of a busy height waits for its clients' next entries, at most until _lingerUntil (then a tick or
    // the driver's wake starts the attempt): a mempool as full as the last block, or a full block, goes at once.
    private bool Lingering()
    {
        if (_now >= _lingerUntil || !IsLeading)
        {
            return false;
        }

        if (_mempool.Count >= Math.Min(_lastWonEntries, _options.MaxBlockEntries))
        {
            _lingerUntil = 0;
            return false;
        }

        return true;
    }

    private Block BuildCandidate(Block previous)
    {
        var ledger = _chain.Ledger;
        var entries = _mempool.Take(_options.MaxBlockEntries, _options.MaxBlockBytes, id => ledger.TryGetEntryLocation(id, out _));
        var block = Block.Create(previous.Height + 1, previous.Hash, _now, NodeId, entries);
        return _chain.VoterKeys is not null && _options.Signer is { } signer ? signer.Sign(block) : block;
    }

    // In a chain with signed blocks only a voter's signature counts: a node without a key, or not a
    // voter now, leaves proposing to the voters (they propose forwarded entries after ForeignEntryDelayMs).
    private bool CanSign => _options.Signer is not null && _chain.Ledger.IsVoter(NodeId);

    private void ToAttempt(string from, IPaxosMessage reply)
    {
        if (_attempt is not null)
        {
            OnAttemptStep(_attempt.Handle(from, reply));
        }
    }

    private void OnAttemptStep(AttemptStep step)
    {
        var attempt = _attempt;
        foreach (var message in step.Messages)
        {
            Send(message.To, message.Message);
        }

        switch (step.Outcome)
        {
            case AttemptOutcome.Decided decided:
                _attempt = null;
                _backoff.Reset();
                Metrics.ProposalWon();
                _leader = NodeId;
                _prepared = decided.Next;
                _lastWonEntries = decided.Block.Entries.Count;
                _lingerUntil = _options.BlockLingerMs > 0 && _lastWonEntries >= ConsensusOptions.LingerMinEntries ? _now + _options.BlockLingerMs : 0;
                foreach (var peer in _peers)
                {
                    if (!attempt!.IsVoter(peer))
                    {
                        Send(peer, new PaxosProtocol.Decided(decided.Block.Height, decided.Block));
                    }
                }

                Learn(decided.Block, NodeId);
                break;
            case AttemptOutcome.Failed failed:
                _attempt = null;
                Metrics.ProposalLost(failed.TimedOut);
                if (IsLeading)
                {
                    _leader = null;
                }

                _highestSeenRound = Math.Max(_highestSeenRound, failed.HighestBallot.Round);
                if (failed.LearnedBlock is { } learned)
                {
                    Learn(learned, NodeId);
                }
                else
                {
                    _nextAttemptAt = _now + _backoff.NextDelayMs();
                }

                break;
        }
    }

    // Another proposer won the height our attempt was for: that attempt can only fail now.
    private void AbandonObsoleteAttempt()
    {
        if (_attempt is not null && _attempt.Height <= _chain.Head)
        {
            _attempt = null;
            Metrics.ProposalLost(timedOut: false);
            _nextAttemptAt = _now + _backoff.JitterMs();
        }
    }
}
