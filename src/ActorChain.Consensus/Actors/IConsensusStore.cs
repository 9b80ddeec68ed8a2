using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using ActorChain.Consensus.Paxos;

namespace ActorChain.Consensus.Actors;

/// <summary>What a node loads at start: its journaled blocks (genesis first; empty for a new node) and acceptor log (oldest first).</summary>
public sealed record ConsensusStoreState(IReadOnlyList<Block> Blocks, IReadOnlyList<AcceptorRecord> AcceptorRecords)
{
    /// <summary>
    /// The ledger after <c>Blocks[0]</c> when the store starts the chain above genesis (from a snapshot
    /// and the journal after it, already verified), so the chain does not replay from genesis; the
    /// blocks after <c>Blocks[0]</c> are still checked and applied. Null: <c>Blocks</c> starts with genesis.
    /// </summary>
    public LedgerState? Ledger { get; init; }

    /// <summary>
    /// Reads a decided block the chain no longer holds in memory (for catch-up and block reads); null
    /// keeps every block in memory. Called on the chain actor's thread, so it must be quick and never
    /// wait on the actor.
    /// </summary>
    public Func<long, Block?>? ReadOlderBlock { get; init; }

    /// <summary>With <see cref="ReadOlderBlock"/>: the most recent decided blocks kept in memory (at least this many).</summary>
    public int KeepRecentBlocks { get; init; } = 4096;
}

/// <summary>
/// The chain actor's durable storage. Each call completes only once its data is durable (fsync):
/// the actor sends nothing that depends on the data before then. Two calls of the same method never
/// overlap; <see cref="PersistAcceptorAsync"/> and <see cref="AppendBlocksAsync"/> may run at the same
/// time (two logs, two write lanes); <see cref="CompactAcceptorAsync"/> always runs alone.
/// </summary>
public interface IConsensusStore
{
    Task<ConsensusStoreState> LoadAsync(CancellationToken cancellationToken);

    Task PersistAcceptorAsync(IReadOnlyList<AcceptorRecord> records, CancellationToken cancellationToken);

    /// <summary>Consecutive blocks that follow the stored head.</summary>
    Task AppendBlocksAsync(IReadOnlyList<Block> blocks, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically replaces the acceptor log with <paramref name="live"/> (crash-safe: either log
    /// survives whole). Called only when every block up to the head is durable and no other write runs.
    /// </summary>
    Task CompactAcceptorAsync(IReadOnlyList<AcceptorRecord> live, CancellationToken cancellationToken);
}

/// <summary>Keeps everything in memory ("durable" for as long as the object lives): for tests and the in-memory benchmark.</summary>
public sealed class InMemoryConsensusStore : IConsensusStore
{
    private readonly Lock _lock = new();
    private readonly List<Block> _blocks = [];
    private readonly List<AcceptorRecord> _acceptor = [];

    public int BlockCount
    {
        get
        {
            lock (_lock)
            {
                return _blocks.Count;
            }
        }
    }

    public int AcceptorRecordCount
    {
        get
        {
            lock (_lock)
            {
                return _acceptor.Count;
            }
        }
    }

    public Task CompactAcceptorAsync(IReadOnlyList<AcceptorRecord> live, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _acceptor.Clear();
            _acceptor.AddRange(live);
        }

        return Task.CompletedTask;
    }

    public Task<ConsensusStoreState> LoadAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(new ConsensusStoreState(_blocks.ToArray(), _acceptor.ToArray()));
        }
    }

    public Task PersistAcceptorAsync(IReadOnlyList<AcceptorRecord> records, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _acceptor.AddRange(records);
        }

        return Task.CompletedTask;
    }

    public Task AppendBlocksAsync(IReadOnlyList<Block> blocks, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var block in blocks)
            {
                if (block.Height != _blocks.Count)
                {
                    throw new InvalidOperationException($"Block {block.Height} does not follow the stored head {_blocks.Count - 1}.");
                }

                _blocks.Add(block);
            }
        }

        return Task.CompletedTask;
    }
}
