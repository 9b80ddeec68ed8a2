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
/// Effects queue in order; a batch is flushed by making every acceptor record and block of the batch
/// durable (one group commit). Its client answers go once its records are durable, its sends once
/// the blocks are too, so no message or answer that depends on a record leaves before the record is
/// on disk. Sends and answers that no record still being written precedes go at once, also while an
/// earlier batch's blocks are being written. While a batch is being written the actor keeps taking
/// messages; their effects form the next batch.
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
    private readonly CancellationTokenSource _stopping = new();
    private bool _flushing;
    private FlushBatch? _inFlight;
    private long _wakeAt;
    private long _compactedAt;
    private long _nextReadId;

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

        _node = new ConsensusNode(options.Consensus, loaded.Blocks, loaded.AcceptorRecords, _peers.Keys, new Random(), Now());
        _node.Metrics = shared.Metrics;
        _compactedAt = _node.Head;

        Receive<Submit>(OnSubmit);
        Receive<PeerEnvelope>(OnEnvelope);
        Receive<Tick>(_ =>
        {
            RetryReadIndexes();
            Run(_node.Tick(Now()));
        });
        Receive<Wake>(_ =>
        {
            _wakeAt = 0;
            Run(_node.Tick(Now()));
        });
        Receive<Flushed>(OnFlushed);
        Receive<RecordsDurable>(OnRecordsDurable);
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
        Timers.StartPeriodicTimer(Tick.Instance, Tick.Instance, _options.TickInterval);
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

    private void OnSubmit(Submit submit)
    {
        if (!_waiters.TryGetValue(submit.Entry.Id, out var list))
        {
            _waiters[submit.Entry.Id] = list = [];
        }

        list.Add(submit.Reply);
        Run(_node.Submit(submit.Entry, Now()));
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
            peer.Tell(new PeerEnvelope(NodeId, message), Self);
        }
    }

    private void Run(IReadOnlyList<ConsensusEffect> effects)
    {
        ScheduleWake();
        if (effects.Count == 0)
        {
            return;
        }

        _pending.AddRange(effects);
        if (!_flushing)
        {
            Flush();
        }
        else if (_inFlight is { RecordsDurable: true })
        {
            ReleaseBeforeFirstRecord();
        }
    }

    // A backoff or jitter of a few ms would otherwise last until the next periodic tick.
    private void ScheduleWake()
    {
        if (_node.NextAttemptAtMs is not { } at || at == _wakeAt)
        {
            return;
        }

        _wakeAt = at;
        Timers.StartSingleTimer(Wake.Instance, Wake.Instance, TimeSpan.FromMilliseconds(Math.Max(1, at - Now())));
    }

    private void Flush()
    {
        while (_pending.Count > 0)
        {
            ReleaseBeforeFirstRecord();
            if (_pending.Count == 0)
            {
                break;
            }

            var batch = new FlushBatch([.. _pending]);
            _pending.Clear();
            var (records, all) = Persist(batch.Effects);
            if (records.IsCompletedSuccessfully)
            {
                Answer(batch);
            }

            if (all.IsCompletedSuccessfully)
            {
                Deliver(batch.Effects);
                continue;
            }

            _flushing = true;
            _inFlight = batch;
            AfterWrite(records, all, batch);
            return;
        }

        MaybeCompact();
    }

    // What no acceptor record still being written precedes depends on nothing being written now (every
    // record of earlier batches is durable), so it goes at once: the proposer's Accepts reach the other
    // acceptors while its own acceptance is written, Decided leaves while the block is journaled, and a
    // client whose entry is decided is answered before this node's journal has the block. Blocks need
    // not be durable before a send or an answer: a decided block is chosen, accepted durably by a quorum,
    // whether or not this node kept it (a crash loses only this copy, and catch-up fetches it again).
    // Blocks stay queued for the next write, in order.
    private void ReleaseBeforeFirstRecord()
    {
        var kept = 0;
        var released = true;
        for (var i = 0; i < _pending.Count; i++)
        {
            var effect = _pending[i];
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
                    case ConsensusEffect.AppendBlock:
                        break;
                    default:
                        AnswerOne(effect);
                        continue;
                }
            }

            _pending[kept++] = effect;
        }

        _pending.RemoveRange(kept, _pending.Count - kept);
    }

    // Between flushes every block up to the head is durable and no record is pending, so the acceptor's
    // in-memory state is exactly what the log rebuilds: the log may be replaced by its snapshot.
    private void MaybeCompact()
    {
        var every = _options.CompactAcceptorEveryBlocks;
        if (every <= 0 || _node.Head - _compactedAt < every)
        {
            return;
        }

        _compactedAt = _node.Head;
        var write = _store.CompactAcceptorAsync(_node.AcceptorSnapshot(), _stopping.Token);
        if (!write.IsCompletedSuccessfully)
        {
            _flushing = true;
            _inFlight = new FlushBatch([]) { RecordsDurable = true };
            AfterWrite(Task.CompletedTask, write, _inFlight);
        }
    }

    private void AfterWrite(Task records, Task all, FlushBatch batch)
    {
        var self = Self;
        if (!batch.RecordsDurable)
        {
            // A failed record write fails the whole write too, and Flushed stops the actor.
            records.ContinueWith(_ => self.Tell(new RecordsDurable(batch)), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }

        all.ContinueWith(
            t => self.Tell(new Flushed(batch, t.Exception?.GetBaseException() ?? (t.IsCanceled ? new OperationCanceledException() : null))),
            TaskScheduler.Default);
    }

    private void OnRecordsDurable(RecordsDurable durable)
    {
        // After Flushed (continuations race) the batch was answered there and is no longer in flight.
        if (!ReferenceEquals(durable.Batch, _inFlight) || durable.Batch.RecordsDurable)
        {
            return;
        }

        Answer(durable.Batch);
        ReleaseBeforeFirstRecord();
    }

    private void OnFlushed(Flushed flushed)
    {
        if (flushed.Error is not null)
        {
            // A record that may not be durable must never be followed by the sends that depend on it.
            ChainLog.StoreFailed(Log, NodeId, flushed.Error);
            Context.Stop(Self);
            return;
        }

        _flushing = false;
        _inFlight = null;
        Answer(flushed.Batch);
        Deliver(flushed.Batch.Effects);
        Flush();
    }

    /// <returns>The write of the batch's acceptor records, and the write of everything (records and blocks).</returns>
    private (Task Records, Task All) Persist(ConsensusEffect[] batch)
    {
        List<AcceptorRecord>? records = null;
        List<Block>? blocks = null;
        foreach (var effect in batch)
        {
            switch (effect)
            {
                case ConsensusEffect.PersistAcceptor persist:
                    (records ??= []).Add(persist.Record);
                    break;
                case ConsensusEffect.AppendBlock append:
                    (blocks ??= []).Add(append.Block);
                    break;
            }
        }

        var token = _stopping.Token;
        var recordsWrite = records is null ? Task.CompletedTask : _store.PersistAcceptorAsync(records, token);
        var blocksWrite = blocks is null ? Task.CompletedTask : _store.AppendBlocksAsync(blocks, token);
        return (recordsWrite, blocks is null ? recordsWrite : records is null ? blocksWrite : Task.WhenAll(recordsWrite, blocksWrite));
    }

    // A client answer needs only the batch's acceptor records durable (they may be what decided its block).
    private void Answer(FlushBatch batch)
    {
        if (batch.RecordsDurable)
        {
            return;
        }

        batch.RecordsDurable = true;
        foreach (var effect in batch.Effects)
        {
            if (effect is not (ConsensusEffect.Send or ConsensusEffect.PersistAcceptor or ConsensusEffect.AppendBlock))
            {
                AnswerOne(effect);
            }
        }
    }

    // Sends wait for the whole batch, blocks included: an acceptor's Accepted for height h then always
    // follows its journal's block h - 1, as before answers stopped waiting for blocks.
    private void Deliver(ConsensusEffect[] batch)
    {
        foreach (var effect in batch)
        {
            switch (effect)
            {
                case ConsensusEffect.Send send:
                    SendTo(send.To, send.Message);
                    break;
                case ConsensusEffect.AppendBlock append:
                    OnBlockDurable(append.Block);
                    break;
            }
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

    private void OnBlockDurable(Block block)
    {
        _shared.Publish(block);
        _shared.Metrics.BlockDecided(block.Entries.Count);
        ChainLog.BlockDurable(Log, NodeId, block.Height, block.Hash.ToString());
        _options.OnBlockDurable?.Invoke(NodeId, block);
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
