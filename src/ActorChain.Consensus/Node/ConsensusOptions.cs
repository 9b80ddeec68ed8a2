using ActorChain.Chain.Signing;

namespace ActorChain.Consensus.Node;

/// <summary>Tuning of one node's consensus (times in milliseconds of the driver's clock).</summary>
public sealed record ConsensusOptions
{
    public required string NodeId { get; init; }

    public int MaxBlockEntries { get; init; } = 1000;

    public long MaxBlockBytes { get; init; } = 4 * 1024 * 1024;

    public int MempoolMaxEntries { get; init; } = 100_000;

    public long MempoolMaxBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>An attempt with no outcome by then fails as timed out.</summary>
    public long AttemptTimeoutMs { get; init; } = 500;

    public long BackoffBaseMs { get; init; } = 2;

    public long BackoffCapMs { get; init; } = 250;

    /// <summary>
    /// While another node won the last height, this node sends its clients' entries there and
    /// proposes them itself only once its oldest waiting entry is this old (the leader crashed,
    /// is cut off, or lost the forward).
    /// </summary>
    public long LeaderPatienceMs { get; init; } = 100;

    /// <summary>
    /// A node proposes at once for entries its own clients submitted; entries forwarded by a
    /// peer (whose origin should propose them) only after waiting this long, so a crashed
    /// origin delays them but never loses them, and nodes do not all duel for every entry.
    /// </summary>
    public long ForeignEntryDelayMs { get; init; } = 300;

    /// <summary>
    /// After this node won a block of at least <see cref="LingerMinEntries"/> entries (clients are busy), it waits
    /// up to this long after the decision before it proposes the next block, unless its mempool already holds
    /// as many entries as that block: the clients just answered send their next entries within a round trip,
    /// and one block for all of them costs the cluster one round of messages and fsyncs instead of several.
    /// A single client's blocks hold one entry and never wait. 0 proposes at once.
    /// </summary>
    public long BlockLingerMs { get; init; } = 3;

    /// <summary>The smallest won block after which the winner lingers (<see cref="BlockLingerMs"/>).</summary>
    public const int LingerMinEntries = 4;

    public long StatusIntervalMs { get; init; } = 200;

    public int CatchUpBatchBlocks { get; init; } = 64;

    public long CatchUpTimeoutMs { get; init; } = 500;

    /// <summary>
    /// This node's key in a chain with signed blocks: it signs the blocks this node proposes. Without
    /// one, or while this node is not a voter, a node of such a chain does not propose (its entries
    /// reach the voters' mempools and they propose them). Ignored in a chain whose blocks are not signed.
    /// </summary>
    public BlockSigner? Signer { get; init; }

    /// <summary>Out-of-order decided blocks kept while the gap before them is fetched.</summary>
    public int MaxBufferedBlocks { get; init; } = 1024;
}
