using ActorChain.Actors;
using ActorChain.Chain;
using ActorChain.Consensus.Node;
using ActorChain.Consensus.Paxos;
using ActorChain.Remote.Actors;
using static ActorChain.Consensus.Actors.ChainActorProtocol;
using static ActorChain.Consensus.Actors.ChainPeerProtocol;

namespace ActorChain.Consensus.Actors;

/// <summary>
/// One node's consensus as an actor at /user/chain: drives a <see cref="ConsensusNode"/> from client
/// submissions, peer messages and a tick timer, and carries its effects out in order.
/// </summary>
/// <remarks>
/// Effects queue in order. Acceptor records are written in group commits, one at a time: the sends and
/// client answers after a record go once it is durable, so no message or answer that depends on a record
/// leaves before the record is on disk; those that no unwritten record precedes go at once. Decided
/// blocks go to the journal in their own lane, in order, beside the records: only what reports the
/// journal (block metrics, <see cref="ChainServiceOptions.OnBlockDurable"/>) waits for them. While writes run the actor keeps
/// taking messages; their records form the next group commit.
/// </remarks>
internal sealed class ChainActor : ReceiveActor, IWithTimers
{
    private readonly ChainServiceOptions _options;
    private readonly IConsensusStore _store;
    private readonly Remoting _remoting;
    private readonly ChainSharedState _shared;
    private readonly ConsensusNode _node;
    private readonly Dictionary<string, IActorRef> _peers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TaskCompletionSource<CommitResult>>> _waiters = new(StringComparer.Ordinal);
    private readonly SortedDictionary<long, List<TaskCompletionSource<long>>> _readWaiters = [];
    private readonly Dictionary<long, PendingReadIndex> _readIndexes = [];
    private readonly List<ConsensusEffect> _pending = [];
    private readonly List<Entry> _submitted = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Block> _unjournaled = [];
    private List<ConsensusEffect>? _recordsWriting;
    private Block[]? _blocksWriting;
    private readonly List<(long Height, TaskCompletionSource<long> Reply)> _journalWaiters = [];
    private long _journaledAt = long.MinValue / 2;
    private bool _compacting;
    private long _wakeAt;
    private long _tickAt;
    private long _compactedAt;
    private long _nextReadId;
    private PeerEnvelope? _lastSent;

    public ChainActor(ChainServiceOptions options, IConsensusStore store, Remoting remoting, ConsensusStoreState? loaded, ChainSharedState shared)
    {
        // A restarted instance would rebuild the node from the state loaded at start and forget every
        // promise persisted since: stop instead (the node restarts the chain from its store).
        if (loaded is null)
        {
            throw new ActorInitializationException($"The chain actor of {options.Consensus.NodeId} failed and is not restarted in place; restart the chain from its store.");
        }

        _options = options;
        _store = store;
        _remoting = remoting;
        _shared = shared;
        AddPeers(options.PeerAddresses);

        var chain = DecidedChain.Restore(loaded.Blocks, loaded.Ledger, loaded.ReadOlderBlock, loaded.KeepRecentBlocks);
        _node = new ConsensusNode(options.Consensus, chain, loaded.AcceptorRecords, _peers.Keys, new Random(), Now());
        _node.Metrics = shared.Metrics;
        _compactedAt = _node.Head;

        Receive<Submit>(OnSubmit);
        Receive<SubmitBatch>(_ => OnSubmitBatch());
        Receive<PeerEnvelope>(OnEnvelope);
        Receive<Tick>(_ =>
        {
            _tickAt = 0;
            _shared.Metrics.Ticked();
            RetryReadIndexes();
            Run(_node.Tick(Now()));
        });
        Receive<Wake>(_ =>
        {
            _wakeAt = 0;
            Run(_node.Tick(Now()));
        });
        Receive<Written>(OnWritten);
        Receive<FlushJournal>(_ => Pump());
        Receive<FlushJournalRequest>(request =>
        {
            _journalWaiters.Add((_node.Head, request.Reply));
            Pump();
            ReleaseJournalWaiters();
        });
        Receive<Query>(OnQuery);
        Receive<ReadIndex>(OnReadIndex);
        Receive<SetPeerAddresses>(set =>
        {
            AddPeers(set.Addresses);
            _node.SetPeers(_peers.Keys);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private string NodeId => _options.Consensus.NodeId;

    protected override void PreStart()
    {
        ArmTick();
        ChainLog.Started(Log, NodeId, _node.Head, string.Join(",", _peers.Keys));
    }

    protected override void PostStop()
    {
        // Marked first: a client that sees its waiter fail must not then Tell a stopped actor and wait forever.
        _shared.MarkStopped();
        _stopping.Cancel();
        var stopped = new ChainUnavailableException($"The chain actor of {NodeId} stopped.");
        foreach (var waiter in _waiters.Values.SelectMany(w => w))
        {
            waiter.TrySetException(stopped);
        }

        foreach (var waiter in _readWaiters.Values.SelectMany(w => w))
        {
            waiter.TrySetException(stopped);
        }

        foreach (var read in _readIndexes.Values)
        {
            read.Reply.TrySetException(stopped);
        }

        foreach (var (_, reply) in _journalWaiters)
        {
            reply.TrySetException(stopped);
        }
    }

    private void AddPeers(IReadOnlyDictionary<string, string> addresses)
    {
        foreach (var (nodeId, address) in addresses)
        {
            if (!string.Equals(nodeId, NodeId, StringComparison.Ordinal))
            {
                _peers[nodeId] = _remoting.Resolve($"actorchain://{_options.SystemName}@{address}/user/{_options.ActorName}");
            }
        }
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    // Submissions that arrive together are handed to the node together (after the ones already in the
    // mailbox), so a follower forwards them to the leader in one message rather than one each.
    private void OnSubmit(Submit submit)
    {
        if (!_waiters.TryGetValue(submit.Entry.Id, out var list))
        {
            _waiters[submit.Entry.Id] = list = [];
        }

        list.Add(submit.Reply);
        _submitted.Add(submit.Entry);
        if (_submitted.Count == 1)
        {
            Self.Tell(SubmitBatch.Instance);
        }
    }

    private void OnSubmitBatch()
    {
        var entries = _submitted.ToArray();
        _submitted.Clear();
        Run(_node.Submit(entries, Now()));
    }

    private void OnEnvelope(PeerEnvelope envelope)
    {
        LearnPeer(envelope.From);
        switch (envelope.Message)
        {
            case ReadIndexQuery query:
                SendTo(envelope.From, new ReadIndexReply(query.RequestId, _node.ReadIndexHeight));
                break;
            case ReadIndexReply reply:
                OnReadIndexReply(envelope.From, reply);
                break;
            default:
                Run(_node.Receive(envelope.From, envelope.Message, Now()));
                break;
        }
    }

    // A node that writes to us (a new learner, a node missing from our address map) is a peer from now on.
    private void LearnPeer(string from)
    {
        var sender = Sender;
        if (string.Equals(from, NodeId, StringComparison.Ordinal) || sender is null || !sender.Path.Address.HasGlobalScope)
        {
            return;
        }

        // A known node that writes from another address restarted there: answer it where it is now.
        var known = _peers.TryGetValue(from, out var current);
        if (known && current!.Path.Address == sender.Path.Address)
        {
            return;
        }

        _peers[from] = sender;
        if (!known)
        {
            _node.SetPeers(_peers.Keys);
        }

        ChainLog.PeerLearned(Log, NodeId, from, sender.Path.ToString());
    }

    private void OnQuery(Query query)
    {
        try
        {
            query.Reply.TrySetResult(query.Run(_node.Chain));
        }
        catch (Exception ex)
        {
            query.Reply.TrySetException(ex);
        }
    }

    private void OnReadIndex(ReadIndex request)
    {
        var voters = _node.Chain.Ledger.Voters;
        var read = new PendingReadIndex(request.Reply, voters.Count / 2 + 1);
        if (_node.Chain.Ledger.IsVoter(NodeId))
        {
            read.Add(NodeId, _node.ReadIndexHeight);
        }

        if (read.HasQuorum)
        {
            AwaitApplied(read.Height, read.Reply);
            return;
        }

        var id = ++_nextReadId;
        _readIndexes[id] = read;
        AskVoters(id, read);
        ArmTick();

        // The caller's cancellation ends the wait; drop the bookkeeping with it.
        var self = Self;
        request.Reply.Task.ContinueWith(_ => self.Tell(new Query(_ => _readIndexes.Remove(id), new())), TaskScheduler.Default);
    }

    // A query can be lost (a voter not yet a peer, a dropped link, a restart): the voters that have
    // not answered are asked again until a quorum has, or the caller gives up.
    private void AskVoters(long id, PendingReadIndex read)
    {
        read.AskedAt = Now();
        foreach (var voter in _node.Chain.Ledger.Voters)
        {
            if (!string.Equals(voter, NodeId, StringComparison.Ordinal) && !read.HasReplied(voter))
            {
                SendTo(voter, new ReadIndexQuery(id));
            }
        }
    }

    private void RetryReadIndexes()
    {
        if (_readIndexes.Count == 0)
        {
            return;
        }

        var due = Now() - (long)_options.ReadIndexRetryInterval.TotalMilliseconds;
        foreach (var (id, read) in _readIndexes)
        {
            if (read.AskedAt <= due)
            {
                AskVoters(id, read);
            }
        }
    }

    private void OnReadIndexReply(string from, ReadIndexReply reply)
    {
        if (!_readIndexes.TryGetValue(reply.RequestId, out var read) || !_node.Chain.Ledger.IsVoter(from))
        {
            return;
        }

        read.Add(from, reply.Height);
        if (read.HasQuorum)
        {
            _readIndexes.Remove(reply.RequestId);
            AwaitApplied(read.Height, read.Reply);
        }
    }

    private void AwaitApplied(long height, TaskCompletionSource<long> reply)
    {
        if (_shared.Head.Height >= height)
        {
            reply.TrySetResult(height);
            return;
        }

        if (!_readWaiters.TryGetValue(height, out var list))
        {
            _readWaiters[height] = list = [];
        }

        list.Add(reply);
    }

    private void SendTo(string nodeId, IConsensusMessage message)
    {
        if (_peers.TryGetValue(nodeId, out var peer))
        {
            // A broadcast sends one message to each peer in a row: one envelope for all, so remoting writes its bytes once.
            if (!ReferenceEquals(message, _lastSent?.Message))
            {
                _lastSent = new PeerEnvelope(NodeId, message);
            }

            peer.Tell(_lastSent!, Self);
        }
    }

    private void Run(IReadOnlyList<ConsensusEffect> effects)
    {
        ArmTick();
        ScheduleWake();
        if (effects.Count == 0)
        {
            return;
        }

        _pending.AddRange(effects);
        Pump();
    }

    // The tick runs every TickInterval while the node or a read index has work, and an idle node sleeps until
    // its head status is due: 5 wake-ups a second instead of 200. A tick armed sooner than needed stays.
    private void ArmTick()
    {
        var now = Now();
        var due = _node.NextTickAtMs(now, (long)_options.TickInterval.TotalMilliseconds, driverHasWork: _readIndexes.Count > 0);
        if (_tickAt != 0 && _tickAt <= due)
        {
            return;
        }

        _tickAt = due;
        Timers.StartSingleTimer(Tick.Instance, Tick.Instance, TimeSpan.FromMilliseconds(due - now));
    }

    // A backoff or jitter of a few ms would otherwise last until the next tick.
    private void ScheduleWake()
    {
        if (_node.NextAttemptAtMs is not { } at || at == _wakeAt)
        {
            return;
        }

        _wakeAt = at;
        Timers.StartSingleTimer(Wake.Instance, Wake.Instance, TimeSpan.FromMilliseconds(Math.Max(1, at - Now())));
    }

    // Two write lanes, each with at most one write in flight: acceptor records (a group commit of every
    // record queued meanwhile) and journal blocks. Sends and client answers wait only for the records
    // before them; the journal lane only holds back what reports the journal (block metrics, OnBlockDurable).
    private void Pump()
    {
        while (_recordsWriting is null && !_compacting)
        {
            ReleaseBeforeFirstRecord(release: true);
            if (_pending.Count == 0)
            {
                break;
            }

            WriteRecords();
        }

        // A compaction rewrites only what is durable already: what no new record precedes may go.
        ReleaseBeforeFirstRecord(release: _recordsWriting is null);
        WriteBlocks();
        MaybeCompact();
    }

    // What no acceptor record still being written precedes depends on nothing being written now (every
    // earlier record is durable), so it goes at once: the proposer's Accepts reach the other acceptors
    // while its own acceptance is written, Decided leaves while the block is journaled, and a client whose
    // entry is decided is answered before this node's journal has the block. Blocks need not be durable
    // before a send or an answer: a decided block is chosen, accepted durably by a quorum, whether or not
    // this node kept it (a crash loses only this copy, catch-up fetches it again, and the read index
    // counts accepted heights above the journal: ConsensusNode.ReadIndexHeight). Blocks go to the journal lane.
    private void ReleaseBeforeFirstRecord(bool release)
    {
        var kept = 0;
        var released = release;
        for (var i = 0; i < _pending.Count; i++)
        {
            var effect = _pending[i];
            if (effect is ConsensusEffect.AppendBlock append)
            {
                _unjournaled.Add(append.Block);
                OnBlockDecided(append.Block);
                continue;
            }

            if (released)
            {
                switch (effect)
                {
                    case ConsensusEffect.PersistAcceptor:
                        released = false;
                        break;
                    case ConsensusEffect.Send send:
                        SendTo(send.To, send.Message);
                        continue;
                    default:
                        AnswerOne(effect);
                        continue;
                }
            }

            _pending[kept++] = effect;
        }

        _pending.RemoveRange(kept, _pending.Count - kept);
    }

    // The first pending effect is a record: every pending record goes in one group commit, and the sends
    // and answers among them go once it is durable. A record write may run beside a journal write (the
    // two are separate logs); two writes of one kind never overlap, and a compaction runs alone.
    private void WriteRecords()
    {
        var records = new List<AcceptorRecord>();
        var after = new List<ConsensusEffect>();
        foreach (var effect in _pending)
        {
            if (effect is ConsensusEffect.PersistAcceptor persist)
            {
                records.Add(persist.Record);
            }
            else
            {
                after.Add(effect);
            }
        }

        _pending.Clear();
        var write = _store.PersistAcceptorAsync(records, _stopping.Token);
        if (write.IsCompletedSuccessfully)
        {
            DeliverAfterRecords(after);
            return;
        }

        _recordsWriting = after;
        var self = Self;
        write.ContinueWith(t => self.Tell(new Written(WriteLane.Records, ErrorOf(t))), TaskScheduler.Default);
    }

    private void WriteBlocks()
    {
        if (_blocksWriting is not null || _unjournaled.Count == 0 || _compacting)
        {
            return;
        }

        // Under load a block is decided every few ms: waiting out the window after the last write puts several
        // in one write and fsync. A due compaction skips the wait, as it needs every block journaled first.
        var now = Now();
        var window = (long)_options.JournalBatchWindow.TotalMilliseconds;
        if (window > 0 && now - _journaledAt < window && !CompactionDue && _journalWaiters.Count == 0)
        {
            if (!Timers.IsTimerActive(FlushJournal.Instance))
            {
                Timers.StartSingleTimer(FlushJournal.Instance, FlushJournal.Instance, TimeSpan.FromMilliseconds(window - (now - _journaledAt)));
            }

            return;
        }

        _journaledAt = now;

        var blocks = _unjournaled.ToArray();
        _unjournaled.Clear();
        var write = _store.AppendBlocksAsync(blocks, _stopping.Token);
        if (write.IsCompletedSuccessfully)
        {
            OnBlocksDurable(blocks);
            return;
        }

        _blocksWriting = blocks;
        var self = Self;
        write.ContinueWith(t => self.Tell(new Written(WriteLane.Blocks, ErrorOf(t))), TaskScheduler.Default);
    }

    // Once nothing is being written or waits to be, every block up to the head is durable and no record
    // is pending, so the acceptor's in-memory state is exactly what the log rebuilds: the log may be
    // replaced by its snapshot.
    private bool CompactionDue => _options.CompactAcceptorEveryBlocks > 0 && _node.Head - _compactedAt >= _options.CompactAcceptorEveryBlocks;

    private void MaybeCompact()
    {
        if (!CompactionDue || _compacting || _recordsWriting is not null || _blocksWriting is not null
            || _unjournaled.Count > 0 || _pending.Count > 0)
        {
            return;
        }

        _compactedAt = _node.Head;
        var write = _store.CompactAcceptorAsync(_node.AcceptorSnapshot(), _stopping.Token);
        if (!write.IsCompletedSuccessfully)
        {
            _compacting = true;
            var self = Self;
            write.ContinueWith(t => self.Tell(new Written(WriteLane.Compaction, ErrorOf(t))), TaskScheduler.Default);
        }
    }

    private void ReleaseJournalWaiters()
    {
        if (_journalWaiters.Count == 0)
        {
            return;
        }

        _journalWaiters.RemoveAll(waiter =>
        {
            if (waiter.Height > _node.Chain.DurableThrough)
            {
                return false;
            }

            waiter.Reply.TrySetResult(_node.Chain.DurableThrough);
            return true;
        });
    }

    private static Exception? ErrorOf(Task write) =>
        write.Exception?.GetBaseException() ?? (write.IsCanceled ? new OperationCanceledException() : null);

    private void OnWritten(Written written)
    {
        if (written.Error is not null)
        {
            // A record that may not be durable must never be followed by the sends that depend on it.
            ChainLog.StoreFailed(Log, NodeId, written.Error);
            Context.Stop(Self);
            return;
        }

        switch (written.Lane)
        {
            case WriteLane.Records:
                var after = _recordsWriting!;
                _recordsWriting = null;
                DeliverAfterRecords(after);
                break;
            case WriteLane.Blocks:
                var blocks = _blocksWriting!;
                _blocksWriting = null;
                OnBlocksDurable(blocks);
                break;
            case WriteLane.Compaction:
                _compacting = false;
                break;
        }

        Pump();
    }

    // The effects that followed a batch's records (none of them a record or a block), in order.
    private void DeliverAfterRecords(List<ConsensusEffect> after)
    {
        foreach (var effect in after)
        {
            if (effect is ConsensusEffect.Send send)
            {
                SendTo(send.To, send.Message);
            }
            else
            {
                AnswerOne(effect);
            }
        }
    }

    private void OnBlocksDurable(Block[] blocks)
    {
        foreach (var block in blocks)
        {
            OnBlockDurable(block);
        }

        if (blocks.Length > 0)
        {
            _node.Chain.MarkDurable(blocks[^1].Height);
            ReleaseJournalWaiters();
        }
    }

    private void AnswerOne(ConsensusEffect effect)
    {
        switch (effect)
        {
            case ConsensusEffect.EntryCommitted committed:
                if (_waiters.Remove(committed.EntryId, out var waiting))
                {
                    var result = new CommitResult(committed.EntryId, committed.Height, committed.BlockHash, committed.Status, committed.Reason);
                    foreach (var waiter in waiting)
                    {
                        waiter.TrySetResult(result);
                    }
                }

                break;
            case ConsensusEffect.BlockRefused invalid:
                ChainLog.BlockRefused(Log, NodeId, invalid.Height, invalid.Proposer, invalid.From, invalid.Reason);
                break;
            case ConsensusEffect.SubmissionRejected rejected:
                if (_waiters.Remove(rejected.EntryId, out var refused))
                {
                    var error = new SubmissionRejectedException(rejected.EntryId, rejected.Reason, rejected.Message);
                    foreach (var waiter in refused)
                    {
                        waiter.TrySetException(error);
                    }
                }

                break;
        }
    }

    // The head clients see and the read-index waits follow the decided chain (the ledger in memory), so a
    // client answered at height h finds this node's head at h or above; the journal may be a batch behind.
    private void OnBlockDecided(Block block)
    {
        _shared.Publish(block);
        _shared.Metrics.SetBlocksInMemory(block.Height - _node.Chain.FirstHeightInMemory + 1);
        while (_readWaiters.Count > 0)
        {
            var (height, waiting) = _readWaiters.First();
            if (height > block.Height)
            {
                break;
            }

            _readWaiters.Remove(height);
            foreach (var waiter in waiting)
            {
                waiter.TrySetResult(height);
            }
        }
    }

    private void OnBlockDurable(Block block)
    {
        _shared.Metrics.BlockDecided(block.Entries.Count);
        ChainLog.BlockDurable(Log, NodeId, block.Height, block.Hash.ToString());
        _options.OnBlockDurable?.Invoke(NodeId, block);
    }

    private sealed class PendingReadIndex(TaskCompletionSource<long> reply, int quorum)
    {
        private readonly HashSet<string> _replied = new(StringComparer.Ordinal);

        public TaskCompletionSource<long> Reply { get; } = reply;

        public long Height { get; private set; }

        public bool HasQuorum => _replied.Count >= quorum;

        public long AskedAt { get; set; }

        public bool HasReplied(string voter) => _replied.Contains(voter);

        public void Add(string voter, long height)
        {
            if (_replied.Add(voter))
            {
                Height = Math.Max(Height, height);
            }
        }
    }
}

/// <summary>What the actor publishes for lock-free reads by clients on other threads.</summary>
internal sealed class ChainSharedState
{
    private volatile StrongBox _head = new(new ChainHead(-1, default));
    private volatile bool _stopped;

    public ChainHead Head => _head.Value;

    public bool Stopped => _stopped;

    public ChainMetrics Metrics { get; } = new();

    public void Publish(Block block) => _head = new StrongBox(new ChainHead(block.Height, block.Hash));

    public void MarkStopped() => _stopped = true;

    private sealed class StrongBox(ChainHead value)
    {
        public ChainHead Value { get; } = value;
    }
}
