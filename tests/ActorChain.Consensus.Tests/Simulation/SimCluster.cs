using ActorChain.Chain;
using ActorChain.Consensus.Node;
using ActorChain.Consensus.Paxos;

namespace ActorChain.Consensus.Tests.Simulation;

/// <summary>
/// A deterministic network of <see cref="ConsensusNode"/>s: one seeded Random decides delivery
/// order, delays, drops, duplicates; tests add partitions and crashes. A node's durable state is
/// its block journal and its encoded acceptor log, written when the node's effects say so and
/// in their order; a crash loses everything else, including effects not yet carried out.
/// </summary>
internal sealed class SimCluster
{
    private readonly PriorityQueue<Action, (long Time, long Seq)> _events = new();
    private readonly Dictionary<string, SimNode> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _side = new(StringComparer.Ordinal);
    private long _seq;

    public SimCluster(int seed, Block genesis, IEnumerable<string> nodeIds, Func<string, ConsensusOptions>? options = null)
    {
        Random = new Random(seed);
        Genesis = genesis;
        Options = options ?? DefaultOptions;
        Recorder.FixedQuorum = (GenesisPayload.Decode(genesis.Entries[0].Payload.Span).Voters.Count / 2) + 1;
        var ids = nodeIds.ToList();
        foreach (var id in ids)
        {
            _nodes[id] = new SimNode(id, [genesis]);
        }

        foreach (var id in ids)
        {
            Start(id);
        }
    }

    public Random Random { get; }

    public Block Genesis { get; }

    public Func<string, ConsensusOptions> Options { get; }

    public SafetyRecorder Recorder { get; } = new();

    public long Now { get; private set; }

    public double DropRate { get; set; }

    public double DuplicateRate { get; set; }

    public long MinDelayMs { get; set; } = 1;

    public long MaxDelayMs { get; set; } = 5;

    public long TickMs { get; set; } = 5;

    /// <summary>
    /// Above 0: a decided block reaches the journal up to this many ms after the node appended it, while
    /// the node's later records, sends and answers go on (as the chain actor's journal lane); a crash in
    /// between loses it. 0: at once.
    /// </summary>
    public long JournalLagMs { get; set; }

    /// <summary>Decided blocks that crashes took before they reached a journal.</summary>
    public int LostUnjournaled { get; private set; }

    /// <summary>Sees every send before the network does; false drops it. May crash the sender (the rest of its effects are lost).</summary>
    public Func<string, string, IConsensusMessage, bool>? SendFilter { get; set; }

    public HashSet<string> Rejected { get; } = new(StringComparer.Ordinal);

    public long MessagesDelivered { get; private set; }

    /// <summary>Ticks delivered to nodes, over all nodes.</summary>
    public long Ticks { get; private set; }

    public IEnumerable<string> NodeIds => _nodes.Keys;

    public IEnumerable<ConsensusNode> Running => _nodes.Values.Where(n => n.Node is not null).Select(n => n.Node!);

    public static ConsensusOptions DefaultOptions(string nodeId) => new()
    {
        NodeId = nodeId,
        MaxBlockEntries = 200,
        AttemptTimeoutMs = 100,
        BackoffBaseMs = 5,
        BackoffCapMs = 160,
        ForeignEntryDelayMs = 100,
        StatusIntervalMs = 50,
        CatchUpBatchBlocks = 64,
        CatchUpTimeoutMs = 100,
    };

    public ConsensusNode Node(string id) => _nodes[id].Node ?? throw new InvalidOperationException($"{id} is down.");

    public bool IsUp(string id) => _nodes[id].Node is not null;

    public IReadOnlyList<Block> Journal(string id) => _nodes[id].Journal;

    public int AcceptorLogLength(string id) => _nodes[id].AcceptorLog.Count;

    public IEnumerable<AcceptorRecord> AcceptorLog(string id) => _nodes[id].AcceptorLog.Select(bytes => AcceptorRecord.Decode(bytes));

    /// <summary>Adds a node with its own journal (e.g. a prebuilt chain); it and every node learn of each other.</summary>
    public void AddNode(string id, IReadOnlyList<Block> journal)
    {
        _nodes[id] = new SimNode(id, [.. journal]);
        Start(id);
        foreach (var node in Running)
        {
            node.SetPeers(_nodes.Keys);
        }
    }

    public void Submit(string nodeId, Entry entry) => Schedule(0, () => Execute(nodeId, n => n.Submit(entry, Now)));

    /// <summary>Runs a test's own action (a fault, a client retry) at simulated time <paramref name="atMs"/>.</summary>
    public void At(long atMs, Action action) => Schedule(Math.Max(0, atMs - Now), action);

    public void SubmitAt(long atMs, string nodeId, Entry entry) => Schedule(Math.Max(0, atMs - Now), () => Execute(nodeId, n => n.Submit(entry, Now)));

    /// <summary>Delivers a message as if <paramref name="from"/> sent it now (e.g. one a filter held back), past the filter and partitions.</summary>
    public void Inject(string from, string to, IConsensusMessage message, long delayMs) =>
        Schedule(delayMs, () =>
        {
            MessagesDelivered++;
            Execute(to, n => n.Receive(from, message, Now));
        });

    /// <summary>Splits the network: nodes in different groups do not reach each other; unnamed nodes form group 0.</summary>
    public void Partition(params string[][] groups)
    {
        _side.Clear();
        for (var i = 0; i < groups.Length; i++)
        {
            foreach (var id in groups[i])
            {
                _side[id] = i + 1;
            }
        }
    }

    public void Heal() => _side.Clear();

    public bool CanReach(string from, string to) => _side.GetValueOrDefault(from) == _side.GetValueOrDefault(to);

    /// <summary>Stops the node now: its volatile state and undelivered effects are gone; its journal and acceptor log stay.</summary>
    public void Crash(string id)
    {
        _nodes[id].Node = null;
        _nodes[id].TickAt = 0;
        _nodes[id].Incarnation++;
        LostUnjournaled += _nodes[id].Unjournaled.Count;
        _nodes[id].Unjournaled.Clear();
    }

    /// <summary>Starts a crashed node from its journal and acceptor log, as a process restart would.</summary>
    public void Restart(string id)
    {
        if (_nodes[id].Node is null)
        {
            Start(id);
        }
    }

    /// <summary>Runs events until <paramref name="done"/> holds (checked after each event) or simulated time passes the limit.</summary>
    public bool RunUntil(Func<bool> done, long maxTimeMs)
    {
        while (!done())
        {
            if (!_events.TryPeek(out var action, out var at) || at.Time > maxTimeMs)
            {
                Now = Math.Max(Now, maxTimeMs);
                return done();
            }

            _events.Dequeue();
            Now = at.Time;
            action();
        }

        return true;
    }

    public void RunFor(long ms) => RunUntil(() => false, Now + ms);

    /// <summary>Every node up and its chain, and the recorder's convergence checks.</summary>
    public bool AllHeadsEqual()
    {
        var heads = _nodes.Values.Select(n => n.Node).ToList();
        if (heads.Any(n => n is null))
        {
            return false;
        }

        var first = heads[0]!.Chain.HeadBlock.Hash;
        return heads.All(n => n!.Chain.HeadBlock.Hash == first);
    }

    public void AssertConverged() => Recorder.AssertConverged(_nodes.Values.Select(n => (IReadOnlyList<Block>)n.Journal).ToList());

    private void Start(string id)
    {
        var sim = _nodes[id];
        var records = sim.AcceptorLog.Select(bytes => AcceptorRecord.Decode(bytes));
        sim.Node = new ConsensusNode(Options(id), sim.Journal, records, _nodes.Keys, new Random(Random.Next()), Now);
        ArmTick(sim, Now + Random.NextInt64(0, TickMs));
    }

    // As the chain actor: every TickMs while the node is busy; an idle node (ConsensusNode.IdleUntilMs) sleeps
    // until its head status is due, and any input that leaves it busy brings the tick back. A tick armed
    // sooner stays; a replaced one is ignored when its event comes.
    private void ArmTick(SimNode sim)
    {
        if (sim.Node is { } node)
        {
            ArmTick(sim, node.NextTickAtMs(Now, TickMs));
        }
    }

    private void ArmTick(SimNode sim, long due)
    {
        if (sim.TickAt != 0 && sim.TickAt <= due)
        {
            return;
        }

        sim.TickAt = due;
        var incarnation = sim.Incarnation;
        var generation = ++sim.TickGeneration;
        Schedule(due - Now, () =>
        {
            if (sim.Node is not null && sim.Incarnation == incarnation && sim.TickGeneration == generation)
            {
                sim.TickAt = 0;
                Ticks++;
                Execute(sim.Id, n => n.Tick(Now));
            }
        });
    }

    private void Schedule(long delay, Action action) => _events.Enqueue(action, (Now + delay, _seq++));

    private void Execute(string id, Func<ConsensusNode, IReadOnlyList<ConsensusEffect>> input)
    {
        var sim = _nodes[id];
        if (sim.Node is not { } node)
        {
            return;
        }

        var incarnation = sim.Incarnation;
        foreach (var effect in input(node))
        {
            if (sim.Incarnation != incarnation)
            {
                return;
            }

            switch (effect)
            {
                case ConsensusEffect.PersistAcceptor persist:
                    sim.AcceptorLog.Add(persist.Record.Encode());
                    if (persist.Record is { Kind: AcceptorRecordKind.Accepted, Block: { } accepted })
                    {
                        Recorder.OnAccepted(id, persist.Record.Height, persist.Record.Ballot, accepted.Hash);
                    }

                    break;
                case ConsensusEffect.AppendBlock append:
                    Recorder.OnDecided(id, append.Block);
                    sim.Unjournaled.Add(append.Block);
                    if (JournalLagMs <= 0)
                    {
                        JournalPending(sim);
                    }
                    else
                    {
                        Schedule(Random.NextInt64(0, JournalLagMs + 1), () =>
                        {
                            if (sim.Incarnation == incarnation)
                            {
                                JournalPending(sim);
                            }
                        });
                    }

                    break;
                case ConsensusEffect.EntryCommitted committed:
                    Recorder.OnAcknowledged(id, committed);
                    break;
                case ConsensusEffect.SubmissionRejected rejected:
                    Rejected.Add(rejected.EntryId);
                    break;
                case ConsensusEffect.Send send:
                    Transmit(id, send.To, send.Message);
                    break;
            }
        }

        ArmTick(sim);
    }

    private static void JournalPending(SimNode sim)
    {
        foreach (var block in sim.Unjournaled)
        {
            if (block.Height != sim.Journal.Count)
            {
                throw new SafetyViolation($"{sim.Id} journaled block {block.Height} after {sim.Journal.Count - 1}.");
            }

            sim.Journal.Add(block);
        }

        sim.Unjournaled.Clear();
    }

    private void Transmit(string from, string to, IConsensusMessage message)
    {
        if (SendFilter is { } filter && !filter(from, to, message))
        {
            return;
        }

        if (!CanReach(from, to) || Random.NextDouble() < DropRate)
        {
            return;
        }

        var copies = Random.NextDouble() < DuplicateRate ? 2 : 1;
        for (var i = 0; i < copies; i++)
        {
            Schedule(Random.NextInt64(MinDelayMs, MaxDelayMs + 1), () =>
            {
                // A partition that starts while a message is in flight cuts it too.
                if (CanReach(from, to))
                {
                    MessagesDelivered++;
                    Execute(to, n => n.Receive(from, message, Now));
                }
            });
        }
    }

    private sealed class SimNode(string id, List<Block> journal)
    {
        public string Id { get; } = id;

        public List<Block> Journal { get; } = journal;

        public List<byte[]> AcceptorLog { get; } = [];

        /// <summary>Decided blocks the node appended that its journal does not have yet (<see cref="JournalLagMs"/>).</summary>
        public List<Block> Unjournaled { get; } = [];

        public ConsensusNode? Node { get; set; }

        public int Incarnation { get; set; }

        /// <summary>When the armed tick fires (0: none armed), and which arming it is.</summary>
        public long TickAt { get; set; }

        public int TickGeneration { get; set; }
    }
}
