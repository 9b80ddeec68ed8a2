using ActorChain.Chain;
using ActorChain.Consensus.Actors;
using ActorChain.Consensus.Paxos;
using ActorChain.Persistence;

namespace ActorChain.Consensus.Tests.Cluster;

/// <summary>The adapter the node will own, over the real fsync'd store: blocks in the journal, records in the acceptor log.</summary>
internal sealed class NodeStoreConsensusStore(NodeStore store) : IConsensusStore, IAsyncDisposable
{
    public static async Task<NodeStoreConsensusStore> OpenAsync(string dataDirectory) =>
        new(await NodeStore.OpenAsync(dataDirectory));

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
