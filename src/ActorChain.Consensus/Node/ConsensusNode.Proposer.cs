using ActorChain.Chain;
using ActorChain.Consensus.Paxos;

namespace ActorChain.Consensus.Node;

internal sealed partial class ConsensusNode
{
    private ProposerAttempt? _attempt;
    private long _attemptDeadline;
    private long _nextAttemptAt;
    private long _highestSeenRound;
    private long _lastProgressAt;

    /// <summary>Attempts started since the node was created (the simulation bounds contention with it).</summary>
    public long AttemptsStarted { get; private set; }

    /// <summary>
    /// When the proposer waits out a backoff or jitter with no attempt running: the time a
    /// <see cref="Tick"/> could start the next one. A driver may wake the node then rather than at
    /// its next periodic tick.
    /// </summary>
    public long? NextAttemptAtMs => _attempt is null && _nextAttemptAt > _now ? _nextAttemptAt : null;

    private bool HasWork()
    {
        if (_mempool.LocalCount > 0)
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
        if (_attempt is not null || _now < _nextAttemptAt || !HasWork())
        {
            return;
        }

        var voters = _chain.Ledger.Voters;
        if (voters.Count == 0)
        {
            return;
        }

        var (ballot, record) = _acceptor.NextBallot(NodeId, _highestSeenRound);
        _highestSeenRound = ballot.Round;
        _effects.Add(new ConsensusEffect.PersistAcceptor(record));
        _attempt = new ProposerAttempt(_chain.HeadBlock, ballot, voters, BuildCandidate);
        _attemptDeadline = _now + _options.AttemptTimeoutMs;
        AttemptsStarted++;
        OnAttemptStep(_attempt.Start());
    }

    private Block BuildCandidate(Block previous)
    {
        var ledger = _chain.Ledger;
        var entries = _mempool.Take(_options.MaxBlockEntries, _options.MaxBlockBytes, id => ledger.TryGetEntryLocation(id, out _));
        return Block.Create(previous.Height + 1, previous.Hash, _now, NodeId, entries);
    }

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
