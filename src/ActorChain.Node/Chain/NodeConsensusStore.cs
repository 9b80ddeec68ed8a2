using ActorChain.Chain;
using ActorChain.Consensus.Actors;
using ActorChain.Consensus.Paxos;
using ActorChain.Persistence;

namespace ActorChain.Node.Chain;

/// <summary>The chain actor's storage over the node's fsync'd store: blocks in the journal, Paxos records in the acceptor log.</summary>
internal sealed class NodeConsensusStore(NodeStore store) : IConsensusStore, IAsyncDisposable
{
    public static async Task<NodeConsensusStore> OpenAsync(string dataDirectory, ILoggerFactory loggerFactory, CancellationToken cancellationToken) =>
        new(await NodeStore.OpenAsync(dataDirectory, loggerFactory: loggerFactory, cancellationToken: cancellationToken));

    public IBlockStore Blocks => store.Blocks;

    public async Task<ConsensusStoreState> LoadAsync(CancellationToken cancellationToken)
    {
        var blocks = await store.Blocks.ReadRangeAsync(0, checked((int)(store.Blocks.Height + 1)), cancellationToken);
        var records = store.Acceptor.Replayed.Select(bytes => AcceptorRecord.Decode(bytes)).ToArray();
        return new ConsensusStoreState(blocks, records);
    }

    public Task PersistAcceptorAsync(IReadOnlyList<AcceptorRecord> records, CancellationToken cancellationToken) =>
        store.Acceptor.AppendAsync(records.Select(r => (ReadOnlyMemory<byte>)r.Encode()).ToArray(), cancellationToken);

    public Task AppendBlocksAsync(IReadOnlyList<Block> blocks, CancellationToken cancellationToken) =>
        store.Blocks.AppendAsync(blocks, cancellationToken);

    public Task CompactAcceptorAsync(IReadOnlyList<AcceptorRecord> live, CancellationToken cancellationToken) =>
        store.Acceptor.CompactAsync(live.Select(r => (ReadOnlyMemory<byte>)r.Encode()).ToArray(), cancellationToken);

    public ValueTask DisposeAsync() => store.DisposeAsync();
}
