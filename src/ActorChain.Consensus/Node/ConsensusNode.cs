using ActorChain.Chain;
using ActorChain.Consensus.Actors;
using ActorChain.Consensus.Paxos;
using static ActorChain.Consensus.Node.ConsensusProtocol;
using static ActorChain.Consensus.Paxos.PaxosProtocol;

namespace ActorChain.Consensus.Node;

/// <summary>
/// One node's leaderless consensus as a pure state machine: acceptor and learner for every
/// height, a proposer loop, the mempool, client submissions and catch-up (DESIGN.md §4).
/// Inputs are <see cref="Submit(Entry, long)"/>, <see cref="Receive"/> and <see cref="Tick"/>, each with the
/// driver's clock; the output is a list of effects for the driver to carry out in order. No
/// threads, no clock, no I/O: a driver calls it from one thread (an actor) at a time.
/// </summary>
/// <remarks>
/// Messages to itself are delivered inside the call, after the records they depend on are in the
/// effect list. State that is not persisted (mempool, waiting clients, the running attempt,
/// buffered blocks) is lost on a crash; a restart passes the journaled blocks and acceptor
/// records back to the constructor.
/// </remarks>
internal sealed partial class ConsensusNode
{
    private readonly ConsensusOptions _options;
    private readonly DecidedChain _chain;
    private readonly AcceptorState _acceptor;
    private readonly Mempool _mempool;
    private readonly Backoff _backoff;
    private readonly HashSet<string> _waiting = new(StringComparer.Ordinal);
    private readonly List<(Entry Entry, string? SentTo)> _forwardOutbox = [];
    private readonly Queue<(Entry Entry, string Holder, long HeldSinceMs)> _heldForwards = new();
    private readonly Queue<IConsensusMessage> _toSelf = new();
    private readonly List<ConsensusEffect> _effects = [];
    private List<string> _peers;
    private long _now;
    private string? _leaderAtBegin;

    /// <remarks>
    /// <c>chain</c>: The journaled decided blocks, genesis first (a new node passes only genesis).
    /// <c>acceptorRecords</c>: The acceptor log, oldest first.
    /// <c>peers</c>: Every other node that should learn decisions and mempool entries (voters and learners).
    /// </remarks>
    public ConsensusNode(
        ConsensusOptions options,
        IReadOnlyList<Block> chain,
        IEnumerable<AcceptorRecord> acceptorRecords,
        IEnumerable<string> peers,
        Random random,
        long nowMs)
        : this(options, DecidedChain.Restore(chain ?? throw new ArgumentNullException(nameof(chain))), acceptorRecords, peers, random, nowMs)
    {
    }

    /// <remarks><c>chain</c>: the decided chain as restored from the store (<see cref="DecidedChain.Restore"/>).</remarks>
    public ConsensusNode(
        ConsensusOptions options,
        DecidedChain chain,
        IEnumerable<AcceptorRecord> acceptorRecords,
        IEnumerable<string> peers,
        Random random,
        long nowMs)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(random);
        _options = options;
        _now = nowMs;
        _chain = chain;
        _acceptor = AcceptorState.Restore(acceptorRecords, options.NodeId);
        _acceptor.Prune(_chain.Head);
        _mempool = new Mempool(options.MempoolMaxEntries, options.MempoolMaxBytes);
        _backoff = new Backoff(options.BackoffBaseMs, options.BackoffCapMs, random);
        _peers = [];
        SetPeers(peers);
        _lastProgressAt = nowMs;
        _nextStatusAt = nowMs;
    }

    public string NodeId => _options.NodeId;

    public DecidedChain Chain => _chain;

    public long Head => _chain.Head;

    public int MempoolCount => _mempool.Count;

    /// <summary>Entries whose clients wait on this node.</summary>
    public int WaitingCount => _waiting.Count;

    public bool IsProposing => _attempt is not null;

    public ChainMetrics Metrics { get; set; } = new();

    /// <summary>
    /// For a read index: the head, or the highest height where this acceptor accepted a block when that
    /// is higher. Any block a quorum accepted (so any acknowledged write) is at or below this on at least
    /// one node of every quorum, also after a restart: an acceptor's acceptance is durable before it
    /// counts, while its journal may still lack the blocks below it (clients are answered before the
    /// journal write), so the head alone, or head + 1, could be lower.
    /// </summary>
    public long ReadIndexHeight => Math.Max(_chain.Head, _acceptor.HighestAcceptedHeight());

    internal AcceptorState Acceptor => _acceptor;

    /// <summary>
    /// The records that rebuild the acceptor as it is now: the driver may replace its acceptor log
    /// with them, but only once every block up to <see cref="Head"/> is journaled durably.
    /// </summary>
    public IReadOnlyList<AcceptorRecord> AcceptorSnapshot() => _acceptor.Snapshot(NodeId);

    /// <summary>Peers changed (cluster membership): decisions, mempool entries and gossip go to these.</summary>
    public void SetPeers(IEnumerable<string> peers)
    {
        ArgumentNullException.ThrowIfNull(peers);
        _peers = peers.Where(p => !string.Equals(p, NodeId, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// A client submits an entry. Committed at once (with its original location) when the id is
    /// already in the chain; otherwise it waits in the mempool and an <see cref="ConsensusEffect.EntryCommitted"/>
    /// follows when a decided block holds it, or a <see cref="ConsensusEffect.SubmissionRejected"/> now.
    /// </summary>
    public IReadOnlyList<ConsensusEffect> Submit(Entry entry, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Submit([entry], nowMs);
    }

    /// <summary>Several clients' entries at once, as <see cref="Submit(Entry, long)"/> each; the leader gets the new ones in one message.</summary>
    public IReadOnlyList<ConsensusEffect> Submit(IReadOnlyList<Entry> entries, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Begin(nowMs);
        var leader = _leader is { } l && !IsLeading ? l : null;
        List<Entry>? toLeader = null;
        foreach (var entry in entries)
        {
            if (_chain.Ledger.TryGetEntryRecord(entry.Id, out var record))
            {
                _effects.Add(new ConsensusEffect.EntryCommitted(entry.Id, record.Height, record.BlockHash, record.Status, record.Reason));
            }
            else if (_mempool.MarkLocal(entry.Id))
            {
                // Forwarded here earlier; a client waiting on this node makes it this node's work now.
                _waiting.Add(entry.Id);
            }
            else if (_mempool.TryAdd(entry, local: true, nowMs, out var rejection) == MempoolAdmission.Added)
            {
                _waiting.Add(entry.Id);

                // The leader proposes next: it gets the entry now, everyone else with the next tick's batch.
                if (leader is not null)
                {
                    (toLeader ??= []).Add(entry);
                }

                _forwardOutbox.Add((entry, leader ?? (IsLeading ? NodeId : null)));
            }
            else
            {
                _effects.Add(new ConsensusEffect.SubmissionRejected(entry.Id, rejection!.Message, rejection.Admission));
            }
        }

        if (toLeader is not null)
        {
            Send(leader!, new MempoolForward(toLeader));
        }

        return End();
    }

    /// <summary>A message from a peer (or a replay of one: every handler is idempotent).</summary>
    public IReadOnlyList<ConsensusEffect> Receive(string from, IConsensusMessage message, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(message);
        Begin(nowMs);
        Dispatch(from, message);
        return End();
    }

    /// <summary>
    /// Null while anything here waits on time: an attempt, entries in the mempool or on their way to peers, a
    /// catch-up, blocks above a gap, a block accepted for the open height. The driver then ticks at its interval.
    /// Otherwise the node is idle and a <see cref="Tick"/> before this time does nothing, so the driver may sleep
    /// until then (its head status), and tick at its interval again once an input leaves the node busy.
    /// </summary>
    public long? IdleUntilMs =>
        _attempt is null && _mempool.Count == 0 && _forwardOutbox.Count == 0 && _heldForwards.Count == 0
        && _catchUpPeer is null && _buffered.Count == 0 && _acceptor.GetAccepted(_chain.Head + 1) is null
            ? _nextStatusAt
            : null;

    /// <summary>
    /// When the driver's next tick is due: its interval from now while this node (or the driver itself) has work,
    /// and while idle not before the head status (<see cref="IdleUntilMs"/>). A driver keeps a tick armed sooner.
    /// </summary>
    public long NextTickAtMs(long nowMs, long tickIntervalMs, bool driverHasWork = false) =>
        !driverHasWork && IdleUntilMs is { } idle ? Math.Max(idle, nowMs + 1) : nowMs + Math.Max(1, tickIntervalMs);

    /// <summary>The driver's timer: attempt timeouts, backoff expiry, gossip, mempool forwarding, head status (see <see cref="IdleUntilMs"/>).</summary>
    public IReadOnlyList<ConsensusEffect> Tick(long nowMs)
    {
        Begin(nowMs);
        if (_attempt is not null && nowMs >= _attemptDeadline)
        {
            OnAttemptStep(_attempt.Timeout());
        }

        if (_catchUpPeer is not null && nowMs >= _catchUpDeadline)
        {
            _catchUpPeer = null;
        }

        GossipEntries(nowMs);

        if (nowMs >= _nextStatusAt)
        {
            _nextStatusAt = nowMs + _options.StatusIntervalMs;
            var status = new HeadStatus(_chain.Head, _chain.HeadBlock.Hash);
            foreach (var peer in _peers)
            {
                Send(peer, status);
            }
        }

        return End();
    }

    // Mempool gossip. An entry no proposer has yet (no winner known) goes to every peer at once. One the
    // last winner already has (forwarded at submit, or held here while this node is the winner) is
    // proposed next anyway, so it is held back: only if it is still pending once the leader patience has
    // run out does it go to the other peers too, who then propose it after their foreign-entry delay.
    // In the common case the entry is decided first and crosses the network once less.
    private void GossipEntries(long nowMs)
    {
        List<Entry>? now = null;
        foreach (var (entry, sentTo) in _forwardOutbox)
        {
            if (sentTo is null)
            {
                (now ??= []).Add(entry);
            }
            else
            {
                _heldForwards.Enqueue((entry, sentTo, nowMs));
            }
        }

        _forwardOutbox.Clear();
        List<(Entry Entry, string Holder)>? overdue = null;
        while (_heldForwards.TryPeek(out var held) && nowMs - held.HeldSinceMs >= _options.LeaderPatienceMs)
        {
            _heldForwards.Dequeue();
            if (_mempool.Contains(held.Entry.Id))
            {
                (overdue ??= []).Add((held.Entry, held.Holder));
            }
        }

        if (now is null && overdue is null)
        {
            return;
        }

        foreach (var peer in _peers)
        {
            var batch = now is null ? [] : new List<Entry>(now);
            foreach (var (entry, holder) in overdue ?? [])
            {
                if (!string.Equals(holder, peer, StringComparison.Ordinal))
                {
                    batch.Add(entry);
                }
            }

            if (batch.Count > 0)
            {
                Send(peer, new MempoolForward(batch));
            }
        }
    }

    // Entries this node sent to a former leader, or kept for itself while it led, are not with the new leader:
    // they would wait out the leader patience while it proposes without them, and then be proposed against it.
    // They go to the new leader now, and are held for it.
    private void ForwardHeldEntriesTo(string leader)
    {
        List<Entry>? moved = null;
        for (var i = 0; i < _forwardOutbox.Count; i++)
        {
            if (_forwardOutbox[i] is (var entry, { } sentTo) && !string.Equals(sentTo, leader, StringComparison.Ordinal))
            {
                (moved ??= []).Add(entry);
                _forwardOutbox[i] = (entry, leader);
            }
        }

        List<Entry>? heldElsewhere = null;
        for (var count = _heldForwards.Count; count > 0; count--)
        {
            var held = _heldForwards.Dequeue();
            if (string.Equals(held.Holder, leader, StringComparison.Ordinal))
            {
                _heldForwards.Enqueue(held);
            }
            else if (_mempool.Contains(held.Entry.Id))
            {
                (heldElsewhere ??= []).Add(held.Entry);
            }
        }

        // Held since now, so after every entry still queued: the queue stays in HeldSinceMs order.
        foreach (var entry in heldElsewhere ?? [])
        {
            _heldForwards.Enqueue((entry, leader, _now));
            (moved ??= []).Add(entry);
        }

        if (moved is not null)
        {
            Send(leader, new MempoolForward(moved));
        }
    }

    private void Begin(long nowMs)
    {
        _now = Math.Max(_now, nowMs);
        _effects.Clear();
        _leaderAtBegin = _leader;
    }

    private ConsensusEffect[] End()
    {
        Metrics.SetMempool(_mempool.Count, _mempool.Bytes);
        DrainSelf();
        if (_leader is { } leader && !IsLeading && !string.Equals(leader, _leaderAtBegin, StringComparison.Ordinal))
        {
            ForwardHeldEntriesTo(leader);
        }

        MaybeStartAttempt();
        DrainSelf();
        var effects = _effects.ToArray();
        _effects.Clear();
        return effects;
    }

    private void DrainSelf()
    {
        while (_toSelf.TryDequeue(out var message))
        {
            Dispatch(NodeId, message);
        }
    }

    private void Send(string to, IConsensusMessage message)
    {
        if (string.Equals(to, NodeId, StringComparison.Ordinal))
        {
            _toSelf.Enqueue(message);
        }
        else
        {
            _effects.Add(new ConsensusEffect.Send(to, message));
        }
    }

    private void Dispatch(string from, IConsensusMessage message)
    {
        Metrics.NackReceived(message);
        switch (message)
        {
            case Prepare prepare:
                _highestSeenRound = Math.Max(_highestSeenRound, prepare.Ballot.Round);
                Reply(from, _acceptor.Handle(prepare, _chain));
                break;
            case Accept accept:
                _highestSeenRound = Math.Max(_highestSeenRound, accept.Ballot.Round);
                var step = _acceptor.Handle(accept, _chain);

                // A proposer at work: the block accepted here is finished by it, not by this node, unless it goes quiet.
                if (step.Reply is Accepted)
                {
                    _lastProgressAt = _now;
                }

                if (step.Refusal is { } refusal)
                {
                    _effects.Add(new ConsensusEffect.BlockRefused(accept.Height, from, accept.Block.Header.Proposer, refusal));
                }

                Reply(from, step);
                break;
            case Decided decided:
                // Decided comes from the height's winner: it is where entries go next.
                if (decided.Block.Height > _chain.Head && !string.Equals(from, NodeId, StringComparison.Ordinal))
                {
                    _leader = from;
                }

                Learn(decided.Block, from);
                break;
            case Chosen chosen:
                OnChosen(from, chosen);
                break;
            case AlreadyDecided already:
                ToAttempt(from, already);
                Learn(already.Block, from);
                break;
            case Reject reject:
                _highestSeenRound = Math.Max(_highestSeenRound, reject.HigherBallot.Round);
                ToAttempt(from, reject);
                break;
            case IPaxosMessage reply:
                ToAttempt(from, reply);
                break;
            case MempoolForward forward:
                OnForward(forward);
                break;
            case HeadStatus status:
                if (status.Height > _chain.Head)
                {
                    RequestCatchUp(from);
                }

                break;
            case CatchUpRequest request:
                OnCatchUpRequest(from, request);
                break;
            case CatchUpBlocks blocks:
                OnCatchUpBlocks(from, blocks);
                break;
        }
    }

    private void Reply(string to, AcceptorStep step)
    {
        if (step.Record is { } record)
        {
            _effects.Add(new ConsensusEffect.PersistAcceptor(record));
        }

        if (step.NextRecord is { } next)
        {
            _effects.Add(new ConsensusEffect.PersistAcceptor(next));
        }

        Send(to, step.Reply);
        if (step.Reply is Behind)
        {
            RequestCatchUp(to);
        }
    }

    private void OnChosen(string from, Chosen chosen)
    {
        if (chosen.Height <= _chain.Head)
        {
            return;
        }

        if (!string.Equals(from, NodeId, StringComparison.Ordinal))
        {
            _leader = from;
        }

        // Only the open height can hold an accepted block; a gap, or another block accepted here, is fetched.
        if (chosen.Height == _chain.Head + 1 && _acceptor.GetAccepted(chosen.Height) is { } accepted && accepted.Block.Hash == chosen.BlockHash)
        {
            Learn(accepted.Block, from);
        }
        else
        {
            RequestCatchUp(from);
        }
    }

    private void OnForward(MempoolForward forward)
    {
        foreach (var entry in forward.Entries)
        {
            if (!_chain.Ledger.TryGetEntryLocation(entry.Id, out _))
            {
                _mempool.TryAdd(entry, local: false, _now, out _);
            }
        }
    }
}
