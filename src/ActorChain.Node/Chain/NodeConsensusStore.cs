using System.Runtime.ExceptionServices;
using ActorChain.Actors;
using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using ActorChain.Chain.Signing;
using ActorChain.Consensus.Actors;
using ActorChain.Consensus.Paxos;
using ActorChain.Node.Configuration;
using ActorChain.Node.Storage;
using ActorChain.Persistence;
using ActorChain.Persistence.Actors;
using static ActorChain.Persistence.Actors.JournalProtocol;
using static ActorChain.Persistence.Actors.SnapshotProtocol;

namespace ActorChain.Node.Chain;

/// <summary>
/// The chain actor's storage over the node's fsync'd store. The journal actor owns the block journal
/// and the snapshot actor the ledger snapshots (every write goes through them, as in Akka.Persistence);
/// Paxos records go to the acceptor log. The chain starts from the newest snapshot plus the journal after
/// it, not from genesis, and reads blocks it no longer keeps in memory back from the journal.
/// A journal that found a bad block on open serves only the blocks below it, so the chain starts there and
/// catches up from peers; the first append of those re-fetched (and verified) blocks cuts the bad tail off first.
/// </summary>
internal sealed class NodeConsensusStore : IConsensusStore, IAsyncDisposable
{
    private readonly NodeStore _store;
    private readonly string _nodeId;
    private readonly int _blocksInMemory;
    private readonly ILogger _log;
    private JournalCorruption? _repairing;
    private long _repairedThrough = -1;

    // A block whose signature fails in a chain with signed blocks: the journal's own check on open
    // (hashes and links, no keys) passes it, so the chain starts below it and the first append cuts it off.
    private JournalCorruption? _badSignature;

    private NodeConsensusStore(NodeStore store, IActorRef journal, IActorRef snapshots, string nodeId, int blocksInMemory, ILogger log)
    {
        _store = store;
        Journal = journal;
        SnapshotWriter = snapshots;
        _nodeId = nodeId;
        _blocksInMemory = blocksInMemory;
        _log = log;
        _repairing = store.Blocks.Corruption;
    }

    /// <summary>Opens the store under the data directory and starts its journal and snapshot actors on <paramref name="system"/>.</summary>
    public static async Task<NodeConsensusStore> OpenAsync(NodeSettings settings, ActorSystem system, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var options = new NodeStoreOptions
        {
            Snapshots = new SnapshotOptions { Interval = Math.Max(1, settings.Persistence.SnapshotInterval), Keep = settings.Persistence.SnapshotKeep },
        };
        var store = await NodeStore.OpenAsync(settings.DataDirectory, options, loggerFactory, cancellationToken);
        var log = loggerFactory.CreateLogger<NodeConsensusStore>();
        if (store.Blocks.Corruption is { } corruption)
        {
            StorageLog.JournalCorruptAtStart(log, settings.NodeId, corruption.Height, corruption.Reason, store.Blocks.Height);
        }

        var journal = system.ActorOf(JournalActor.Props(store.Blocks), "journal");
        var snapshots = system.ActorOf(SnapshotActor.Props(store.Snapshots), "snapshots");
        return new NodeConsensusStore(store, journal, snapshots, settings.NodeId, settings.Persistence.BlocksInMemory, log);
    }

    /// <summary>The journal actor: the only writer of the block journal.</summary>
    public IActorRef Journal { get; }

    /// <summary>The snapshot actor: the only writer of the ledger snapshots.</summary>
    public IActorRef SnapshotWriter { get; }

    public NodeStore Store => _store;

    /// <summary>For reads (verify, gossip, Azure copies); writes go through <see cref="Journal"/>.</summary>
    public IBlockStore Blocks => _store.Blocks;

    /// <summary>The bad block found on open until the journal has been rewritten past it; null otherwise.</summary>
    public JournalCorruption? PendingRepair => Volatile.Read(ref _repairing);

    /// <summary>The highest block rewritten by a repair; -1 before any.</summary>
    public long RepairedThrough => Interlocked.Read(ref _repairedThrough);

    /// <summary>Where the chain started: the snapshot it was restored from (-1: replayed from genesis) and the journal blocks replayed after it.</summary>
    public (long SnapshotHeight, long ReplayedBlocks) StartedFrom { get; private set; } = (-1, 0);

    public async Task<ConsensusStoreState> LoadAsync(CancellationToken cancellationToken)
    {
        var records = _store.Acceptor.Replayed.Select(bytes => AcceptorRecord.Decode(bytes)).ToArray();
        var blocks = _store.Blocks;
        if (blocks.Height < 0)
        {
            return FromJournal([], records);
        }

        // Open recovered the ledger from the newest usable snapshot and the journal after it; a bootstrap
        // that wrote blocks since then makes that stale, so recover again.
        var recovery = _store.Recovery.Height == blocks.Height && _store.Recovery.HeadHash == blocks.HeadHash
            ? _store.Recovery
            : await NodeStore.RecoverAsync(blocks, _store.Snapshots, _log, cancellationToken: cancellationToken);
        if (recovery.Ledger.VoterKeys is null && recovery.SnapshotHeight > 0 && await IsSignedChainAsync(cancellationToken))
        {
            // A snapshot written before snapshots kept the key history (layout version 1): starting from it
            // would stop checking signatures, so this start replays from genesis, which rebuilds the keys.
            StartedFrom = (-1, blocks.Height);
            return FromJournal(await blocks.ReadRangeAsync(0, checked((int)(blocks.Height + 1)), cancellationToken), records);
        }
        if (recovery.Ledger.VoterKeys is { } keys
            && await FirstBadSignatureAsync(Math.Max(1, recovery.SnapshotHeight + 1), keys, cancellationToken) is { } bad)
        {
            // Rare: the journal holds a block whose signature fails. Start from genesis up to the block before it.
            _badSignature = bad;
            Volatile.Write(ref _repairing, bad);
            StorageLog.JournalCorruptAtStart(_log, _nodeId, bad.Height, bad.Reason, bad.Height - 1);
            StartedFrom = (-1, bad.Height - 1);
            return FromJournal(await blocks.ReadRangeAsync(0, checked((int)bad.Height), cancellationToken), records);
        }

        var head = await blocks.ReadAsync(blocks.Height, cancellationToken) ?? throw new InvalidDataException($"The journal's head block {blocks.Height} cannot be read.");
        StartedFrom = (recovery.SnapshotHeight, recovery.ReplayedBlocks);
        StorageLog.ChainRecovered(_log, _nodeId, recovery.Height, recovery.HeadHash.ToString(), recovery.SnapshotHeight, recovery.ReplayedBlocks);
        return FromJournal([head], records) with { Ledger = recovery.Ledger };
    }

    public Task PersistAcceptorAsync(IReadOnlyList<AcceptorRecord> records, CancellationToken cancellationToken) =>
        _store.Acceptor.AppendAsync(records.Select(r => (ReadOnlyMemory<byte>)r.Encode()).ToArray(), cancellationToken);

    public async Task AppendBlocksAsync(IReadOnlyList<Block> blocks, CancellationToken cancellationToken)
    {
        // Appends never overlap each other (IConsensusStore), so the repair state needs no lock of its own.
        if (_store.Blocks.Corruption is not null)
        {
            StorageLog.JournalRepairing(_log, _nodeId, _store.Blocks.Height);
            await TruncateAfterAsync(_store.Blocks.Height, cancellationToken);
        }
        else if (_badSignature is { } bad)
        {
            StorageLog.JournalRepairing(_log, _nodeId, bad.Height - 1);
            await TruncateAfterAsync(bad.Height - 1, cancellationToken);
            _badSignature = null;
        }

        await PersistBlocksAsync(blocks, cancellationToken);
        if (_repairing is { } repairing && blocks.Count > 0 && blocks[^1].Height >= repairing.Height)
        {
            // Logged before the repair shows as done: whoever sees PendingRepair clear finds the line already written.
            StorageLog.JournalRepaired(_log, _nodeId, repairing.Height, blocks[^1].Height);
            Interlocked.Exchange(ref _repairedThrough, blocks[^1].Height);
            Volatile.Write(ref _repairing, null);
        }
    }

    /// <summary>Appends through the journal actor; completes once the blocks are durable.</summary>
    /// <exception cref="InvalidOperationException">The blocks do not follow the journal's head.</exception>
    public async Task PersistBlocksAsync(IReadOnlyList<Block> blocks, CancellationToken cancellationToken)
    {
        // No timeout: the journal answers every request, and a slow disk must not fail a durable write.
        var reply = await Journal.Ask<object>(new Persist(blocks), Timeout.InfiniteTimeSpan, cancellationToken);
        if (reply is PersistFailed failed)
        {
            ExceptionDispatchInfo.Throw(failed.Cause);
        }
    }

    /// <summary>Drops the journal's blocks above <paramref name="height"/> through the journal actor.</summary>
    public async Task TruncateAfterAsync(long height, CancellationToken cancellationToken)
    {
        var reply = await Journal.Ask<object>(new TruncateAfter(height), Timeout.InfiniteTimeSpan, cancellationToken);
        if (reply is TruncateFailed failed)
        {
            ExceptionDispatchInfo.Throw(failed.Cause);
        }
    }

    /// <summary>Saves an encoded ledger snapshot through the snapshot actor (which keeps the newest snapshot-keep).</summary>
    public async Task SaveSnapshotAsync(long height, ReadOnlyMemory<byte> snapshot, CancellationToken cancellationToken)
    {
        var reply = await SnapshotWriter.Ask<object>(new SaveSnapshot(height, snapshot), Timeout.InfiniteTimeSpan, cancellationToken);
        if (reply is SaveSnapshotFailed failed)
        {
            ExceptionDispatchInfo.Throw(failed.Cause);
        }
    }

    public Task CompactAcceptorAsync(IReadOnlyList<AcceptorRecord> live, CancellationToken cancellationToken) =>
        _store.Acceptor.CompactAsync(live.Select(r => (ReadOnlyMemory<byte>)r.Encode()).ToArray(), cancellationToken);

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    // Every start, from genesis too, reads older blocks back from the journal: a chain that kept every
    // block it decided since its start would hold every entry's payload in memory until the next restart.
    private ConsensusStoreState FromJournal(IReadOnlyList<Block> blocks, IReadOnlyList<AcceptorRecord> records) =>
        new(blocks, records) { ReadOlderBlock = ReadOlderBlock, KeepRecentBlocks = _blocksInMemory };

    // On the chain actor's thread: one positioned read of the journal, no thread hop.
    private Block? ReadOlderBlock(long height)
    {
        try
        {
            return _store.Blocks is BlockJournal journal ? journal.ReadBlock(height) : _store.Blocks.ReadAsync(height).GetAwaiter().GetResult();
        }
        catch (InvalidDataException e)
        {
            // A block that changed on disk since open is never served; the peer asks another node.
            StorageLog.OlderBlockUnreadable(_log, _nodeId, height, e.Message);
            return null;
        }
    }

    private async Task<bool> IsSignedChainAsync(CancellationToken cancellationToken)
    {
        var genesis = await _store.Blocks.ReadAsync(0, cancellationToken);
        var ledger = new LedgerState();
        if (genesis is not null)
        {
            ledger.Apply(genesis);
        }

        return ledger.VoterKeys is not null;
    }

    /// <summary>The first block from <paramref name="fromHeight"/> on whose signature fails, checked against the chain's own key history.</summary>
    private async Task<JournalCorruption?> FirstBadSignatureAsync(long fromHeight, VoterKeyHistory keys, CancellationToken cancellationToken)
    {
        const int Batch = 256;
        var head = _store.Blocks.Height;
        if (fromHeight > head)
        {
            return null;
        }

        var previous = await _store.Blocks.ReadAsync(fromHeight - 1, cancellationToken) ?? throw new InvalidDataException($"Journal block {fromHeight - 1} cannot be read.");
        for (var from = fromHeight; from <= head; from += Batch)
        {
            foreach (var block in await _store.Blocks.ReadRangeAsync(from, (int)Math.Min(Batch, head - from + 1), cancellationToken))
            {
                var check = ChainVerifier.VerifyNext(previous, block, keys);
                if (!check.IsValid)
                {
                    return new JournalCorruption(block.Height, check.Reason!, check.Fault);
                }

                previous = block;
            }
        }

        return null;
    }
}
