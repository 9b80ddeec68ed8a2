using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using ActorChain.Consensus.Actors;
using ActorChain.Consensus.Paxos;
using ActorChain.Node.Storage;
using ActorChain.Persistence;

namespace ActorChain.Node.Chain;

/// <summary>
/// The chain actor's storage over the node's fsync'd store: blocks in the journal, Paxos records in the acceptor log.
/// A journal that found a bad block on open serves only the blocks below it, so the chain starts there and
/// catches up from peers; the first append of those re-fetched (and verified) blocks cuts the bad tail off first.
/// </summary>
internal sealed class NodeConsensusStore(NodeStore store, string nodeId, ILogger log) : IConsensusStore, IAsyncDisposable
{
    private JournalCorruption? _repairing = store.Blocks.Corruption;
    private long _repairedThrough = -1;

    // A block whose signature fails in a chain with signed blocks: the journal's own check on open
    // (hashes and links, no keys) passes it, so the chain starts below it and the first append cuts it off.
    private JournalCorruption? _badSignature;

    public static async Task<NodeConsensusStore> OpenAsync(string dataDirectory, string nodeId, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var store = await NodeStore.OpenAsync(dataDirectory, loggerFactory: loggerFactory, cancellationToken: cancellationToken);
        var log = loggerFactory.CreateLogger<NodeConsensusStore>();
        if (store.Blocks.Corruption is { } corruption)
        {
            StorageLog.JournalCorruptAtStart(log, nodeId, corruption.Height, corruption.Reason, store.Blocks.Height);
        }

        return new NodeConsensusStore(store, nodeId, log);
    }

    public NodeStore Store => store;

    public IBlockStore Blocks => store.Blocks;

    /// <summary>The bad block found on open until the journal has been rewritten past it; null otherwise.</summary>
    public JournalCorruption? PendingRepair => Volatile.Read(ref _repairing);

    /// <summary>The highest block rewritten by a repair; -1 before any.</summary>
    public long RepairedThrough => Interlocked.Read(ref _repairedThrough);

    public async Task<ConsensusStoreState> LoadAsync(CancellationToken cancellationToken)
    {
        var blocks = await store.Blocks.ReadRangeAsync(0, checked((int)(store.Blocks.Height + 1)), cancellationToken);
        var records = store.Acceptor.Replayed.Select(bytes => AcceptorRecord.Decode(bytes)).ToArray();
        return new ConsensusStoreState(UpToFirstBadSignature(blocks), records);
    }

    private IReadOnlyList<Block> UpToFirstBadSignature(IReadOnlyList<Block> blocks)
    {
        if (blocks.Count < 2)
        {
            return blocks;
        }

        // The keys come from the chain itself (genesis, then voter.add), so they are rebuilt by replaying it.
        var ledger = new LedgerState();
        ledger.Apply(blocks[0]);
        if (ledger.VoterKeys is null)
        {
            return blocks;
        }

        for (var i = 1; i < blocks.Count; i++)
        {
            var check = ChainVerifier.VerifyNext(blocks[i - 1], blocks[i], ledger.VoterKeys);
            if (!check.IsValid)
            {
                _badSignature = new JournalCorruption(i, check.Reason!, check.Fault);
                Volatile.Write(ref _repairing, _badSignature);
                StorageLog.JournalCorruptAtStart(log, nodeId, i, check.Reason!, i - 1);
                return blocks.Take(i).ToArray();
            }

            ledger.Apply(blocks[i]);
        }

        return blocks;
    }

    public Task PersistAcceptorAsync(IReadOnlyList<AcceptorRecord> records, CancellationToken cancellationToken) =>
        store.Acceptor.AppendAsync(records.Select(r => (ReadOnlyMemory<byte>)r.Encode()).ToArray(), cancellationToken);

    public async Task AppendBlocksAsync(IReadOnlyList<Block> blocks, CancellationToken cancellationToken)
    {
        // Calls never overlap (IConsensusStore), so the repair state needs no lock of its own.
        if (store.Blocks.Corruption is not null)
        {
            StorageLog.JournalRepairing(log, nodeId, store.Blocks.Height);
            await store.Blocks.TruncateAfterAsync(store.Blocks.Height, cancellationToken);
        }
        else if (_badSignature is { } bad)
        {
            StorageLog.JournalRepairing(log, nodeId, bad.Height - 1);
            await store.Blocks.TruncateAfterAsync(bad.Height - 1, cancellationToken);
            _badSignature = null;
        }

        await store.Blocks.AppendAsync(blocks, cancellationToken);
        if (_repairing is { } repairing && blocks.Count > 0 && blocks[^1].Height >= repairing.Height)
        {
            Interlocked.Exchange(ref _repairedThrough, blocks[^1].Height);
            Volatile.Write(ref _repairing, null);
            StorageLog.JournalRepaired(log, nodeId, repairing.Height, blocks[^1].Height);
        }
    }

    public Task CompactAcceptorAsync(IReadOnlyList<AcceptorRecord> live, CancellationToken cancellationToken) =>
        store.Acceptor.CompactAsync(live.Select(r => (ReadOnlyMemory<byte>)r.Encode()).ToArray(), cancellationToken);

    public ValueTask DisposeAsync() => store.DisposeAsync();
}
