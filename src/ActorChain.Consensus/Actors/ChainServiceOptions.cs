using ActorChain.Chain;
using ActorChain.Consensus.Node;

namespace ActorChain.Consensus.Actors;

/// <summary>How to start one node's chain actor.</summary>
public sealed record ChainServiceOptions
{
    /// <summary>Consensus tuning; its NodeId is this node's id (the id in ballots and the voter set).</summary>
    public required ConsensusOptions Consensus { get; init; }

    /// <summary>Written first when the store is empty (a new node); ignored otherwise.</summary>
    public required Block Genesis { get; init; }

    /// <summary>
    /// The actor system name every node uses (the <c>system</c> in <c>actorchain://system@host:port/user/chain</c>).
    /// </summary>
    public required string SystemName { get; init; }

    /// <summary>
    /// Other nodes by id → "host:port" of their remoting. Nodes that write to this one are learned
    /// as peers too (a new learner needs only one address to reach the cluster).
    /// </summary>
    public IReadOnlyDictionary<string, string> PeerAddresses { get; init; } = new Dictionary<string, string>();

    /// <summary>How often the consensus node's timers (attempt timeouts, mempool forwarding, head gossip) run.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>A read index asks the voters that have not answered again this often until a quorum has.</summary>
    public TimeSpan ReadIndexRetryInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    public string ActorName { get; init; } = "chain";

    /// <summary>The acceptor log is replaced by a snapshot of the live acceptor state each time the head has grown this much (0: never).</summary>
    public int CompactAcceptorEveryBlocks { get; init; } = 1024;

    /// <summary>
    /// Decided blocks wait up to this long after the last journal write and go to the journal together, one
    /// write and one fsync for several blocks (zero: a write as soon as the previous one is done). Nothing
    /// waits for the journal: clients are answered once a quorum accepted the block durably, so a crash loses
    /// at most this window of this node's copies, which catch-up (or, after a whole-cluster crash, Paxos over
    /// the acceptor logs, which keep those heights until the journal has them) brings back.
    /// </summary>
    public TimeSpan JournalBatchWindow { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Called on the actor's thread once a block is durable in the local chain (tests record safety with it).</summary>
    public Action<string, Block>? OnBlockDurable { get; init; }
}
