using System.Diagnostics;
using ActorChain.Actors;
using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using ActorChain.Consensus.Node;
using ActorChain.Consensus.Wire;
using ActorChain.Remote.Actors;
using static ActorChain.Consensus.Actors.ChainActorProtocol;
using static ActorChain.Consensus.Actors.ChainPeerProtocol;

namespace ActorChain.Consensus.Actors;

/// <summary>What the HTTP gateway and CLI call on the local node's chain. Every method is thread-safe.</summary>
public interface IChainService
{
    string NodeId { get; }

    /// <summary>The local decided head (the ledger's; the journal may be a batch behind), read without a round trip to the actor.</summary>
    ChainHead Head { get; }

    /// <summary>
    /// Completes once a decided block holds the entry. Idempotent by entry id: a retry (here or at
    /// another node) returns the original location. Cancelling stops waiting, not the entry.
    /// </summary>
    /// <exception cref="SubmissionRejectedException">The mempool is full, or the entry too large.</exception>
    /// <exception cref="ChainUnavailableException">The chain actor stopped; whether the entry commits is unknown.</exception>
    Task<CommitResult> SubmitAsync(Entry entry, CancellationToken cancellationToken = default);

    Task<ChainHead> GetHeadAsync(CancellationToken cancellationToken = default);

    Task<Block?> GetBlockAsync(long height, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="count"/> blocks from <paramref name="fromHeight"/>, fewer where the head comes first.</summary>
    Task<IReadOnlyList<Block>> GetBlocksAsync(long fromHeight, int count, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs <paramref name="query"/> on the actor's thread against the local ledger. It must not keep
    /// references to mutable ledger state after it returns; copy out what it needs.
    /// </summary>
    Task<T> QueryAsync<T>(Func<LedgerState, T> query, CancellationToken cancellationToken = default);

    /// <summary>The key's value in the local ledger (may lag the cluster); null when absent.</summary>
    Task<byte[]?> ReadLocalAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Read index: asks a quorum of voters for the highest height that may be decided, waits until
    /// the local chain has that height durably, then reads. Sees every write acknowledged before the call.
    /// Waits (until cancelled) while no quorum answers.
    /// </summary>
    Task<byte[]?> ReadLinearizableAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>The height the local chain reached for a read index (the step before the read itself).</summary>
    Task<long> WaitForReadIndexAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds or moves peers (node id → "host:port"), e.g. from cluster membership; peers are never removed.</summary>
    void UpdatePeerAddresses(IReadOnlyDictionary<string, string> addresses);
}

/// <summary>The <see cref="IChainService"/> of one node: a thin front of its chain actor.</summary>
public sealed class ChainClient : IChainService
{
    private readonly IActorRef _actor;
    private readonly ChainSharedState _shared;

    internal ChainClient(string nodeId, IActorRef actor, ChainSharedState shared)
    {
        NodeId = nodeId;
        _actor = actor;
        _shared = shared;
    }

    public string NodeId { get; }

    public ChainHead Head => _shared.Head;

    /// <summary>The chain actor (for death watch or to stop it).</summary>
    public IActorRef Actor => _actor;

    public ChainMetrics Metrics => _shared.Metrics;

    /// <summary>
    /// Loads the store (writing <see cref="ChainServiceOptions.Genesis"/> when it is empty),
    /// registers the consensus serializers on the remoting if needed, and starts the chain actor
    /// at /user/<see cref="ChainServiceOptions.ActorName"/>.
    /// </summary>
    public static async Task<ChainClient> StartAsync(
        Remoting remoting, ChainServiceOptions options, IConsensusStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(remoting);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        if (!remoting.Serializers.TryGetTypeId(typeof(PeerEnvelope), out _))
        {
            ConsensusSerializers.Register(remoting.Serializers);
        }

        var loaded = await store.LoadAsync(cancellationToken).ConfigureAwait(false);
        if (loaded.Blocks.Count == 0)
        {
            await store.AppendBlocksAsync([options.Genesis], cancellationToken).ConfigureAwait(false);
            loaded = loaded with { Blocks = [options.Genesis] };
        }
        else if (GenesisHashOf(loaded) is var stored && stored != options.Genesis.Hash)
        {
            throw new InvalidOperationException($"The store's genesis {stored} is not the configured genesis {options.Genesis.Hash}.");
        }

        var shared = new ChainSharedState();
        shared.Publish(loaded.Blocks[^1]);

        // Only the first instance gets the loaded state: see ChainActor's constructor.
        ConsensusStoreState? loadedOnce = loaded;
        var actor = remoting.System.ActorOf(
            Props.Create(() => new ChainActor(options, store, remoting, Interlocked.Exchange(ref loadedOnce, null), shared)),
            options.ActorName);
        return new ChainClient(options.Consensus.NodeId, actor, shared);
    }

    private static Hash256 GenesisHashOf(ConsensusStoreState loaded) =>
        loaded.Ledger is null ? loaded.Blocks[0].Hash
        : loaded.Ledger.TryGetBlockHash(0, out var hash) ? hash
        : throw new InvalidOperationException("The store's starting ledger has no genesis block.");

    public async Task<CommitResult> SubmitAsync(Entry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var reply = new TaskCompletionSource<CommitResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = Stopwatch.GetTimestamp();
        Tell(new Submit(entry, reply));
        return _shared.Metrics.CommitObserved(started, await reply.Task.WaitAsync(cancellationToken).ConfigureAwait(false));
    }

    public Task<ChainHead> GetHeadAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfStopped();
        return Task.FromResult(_shared.Head);
    }

    public Task<Block?> GetBlockAsync(long height, CancellationToken cancellationToken = default) =>
        Ask(chain => chain.TryGetBlock(height, out var block) ? block : null, cancellationToken);

    public Task<IReadOnlyList<Block>> GetBlocksAsync(long fromHeight, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Ask<IReadOnlyList<Block>>(
            chain =>
            {
                var blocks = new List<Block>(Math.Min(count, 1024));
                for (var height = Math.Max(fromHeight, 0); blocks.Count < count && chain.TryGetBlock(height, out var block); height++)
                {
                    blocks.Add(block);
                }

                return blocks;
            },
            cancellationToken);
    }

    public Task<T> QueryAsync<T>(Func<LedgerState, T> query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Ask(chain => query(chain.Ledger), cancellationToken);
    }

    public Task<byte[]?> ReadLocalAsync(string key, CancellationToken cancellationToken = default) =>
        QueryAsync(ledger => ledger.TryGetValue(key, out var value) ? value.ToArray() : null, cancellationToken);

    public async Task<byte[]?> ReadLinearizableAsync(string key, CancellationToken cancellationToken = default)
    {
        await WaitForReadIndexAsync(cancellationToken).ConfigureAwait(false);
        return await ReadLocalAsync(key, cancellationToken).ConfigureAwait(false);
    }

    public Task<long> WaitForReadIndexAsync(CancellationToken cancellationToken = default) =>
        TellAndAwaitAsync<long>(reply => new ReadIndex(reply), cancellationToken);

    /// <summary>
    /// Completes once every block this node had decided when it was called is in the journal (the batch
    /// window is skipped), with the journal's height: before a verification of the durable chain, or a
    /// graceful stop that should leave no decided block to fetch again.
    /// </summary>
    public Task<long> FlushJournalAsync(CancellationToken cancellationToken = default) =>
        TellAndAwaitAsync<long>(reply => new FlushJournalRequest(reply), cancellationToken);

    public void UpdatePeerAddresses(IReadOnlyDictionary<string, string> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        Tell(new SetPeerAddresses(new Dictionary<string, string>(addresses, StringComparer.Ordinal)));
    }

    /// <summary>The chain as a list of blocks, copied on the actor's thread (tests compare nodes with it).</summary>
    internal Task<IReadOnlyList<Block>> GetAllBlocksAsync() => Ask<IReadOnlyList<Block>>(
        chain =>
        {
            var blocks = new List<Block>((int)chain.Head + 1);
            for (var height = 0L; height <= chain.Head && chain.TryGetBlock(height, out var block); height++)
            {
                blocks.Add(block);
            }

            return blocks;
        },
        default);

    private async Task<T> Ask<T>(Func<DecidedChain, T> run, CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Tell(new Query(chain => run(chain), reply));
        return (T)(await reply.Task.WaitAsync(cancellationToken).ConfigureAwait(false))!;
    }

    // The actor completes the carried source; cancelling gives up waiting, not the request.
    private async Task<T> TellAndAwaitAsync<T>(Func<TaskCompletionSource<T>, object> message, CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Tell(message(reply));
        using var cancel = cancellationToken.Register(() => reply.TrySetCanceled(cancellationToken));
        return await reply.Task.ConfigureAwait(false);
    }

    private void Tell(object message)
    {
        ThrowIfStopped();
        _actor.Tell(message, ActorRefs.NoSender);
    }

    private void ThrowIfStopped()
    {
        if (_shared.Stopped)
        {
            throw new ChainUnavailableException($"The chain actor of {NodeId} stopped.");
        }
    }
}
