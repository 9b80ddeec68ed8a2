using ActorChain.Chain;

namespace ActorChain.Persistence;

/// <summary>
/// Decided blocks in height order from block 0, durable once an append completes. The local
/// <see cref="BlockJournal"/> is the default; other backends (Azure) implement the same contract
/// (tests: <c>BlockStoreContract</c>).
/// </summary>
public interface IBlockStore : IAsyncDisposable
{
    /// <summary>The height of the last block served; -1 when empty.</summary>
    long Height { get; }

    /// <summary>The hash of the block at <see cref="Height"/>; zero when empty.</summary>
    Hash256 HeadHash { get; }

    /// <summary>The first bad block found on open, if any; blocks from its height on are never served until repaired.</summary>
    JournalCorruption? Corruption { get; }

    /// <summary>Completes once the block is durable. The block must be at <see cref="Height"/> + 1 and link to <see cref="HeadHash"/>.</summary>
    /// <exception cref="InvalidOperationException">The block does not follow the head, or the store is corrupt and awaits repair.</exception>
    Task AppendAsync(Block block, CancellationToken cancellationToken = default);

    /// <summary>Appends consecutive blocks all or nothing; completes once all are durable.</summary>
    Task AppendAsync(IReadOnlyList<Block> blocks, CancellationToken cancellationToken = default);

    /// <summary>The block's canonical bytes (<see cref="BlockCodec.EncodeBlock"/>); null beyond the head.</summary>
    Task<byte[]?> ReadEncodedAsync(long height, CancellationToken cancellationToken = default);

    Task<Block?> ReadAsync(long height, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="count"/> blocks from <paramref name="fromHeight"/>, fewer where the head comes first.</summary>
    Task<IReadOnlyList<byte[]>> ReadEncodedRangeAsync(long fromHeight, int count, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Block>> ReadRangeAsync(long fromHeight, int count, CancellationToken cancellationToken = default);

    /// <summary>
    /// Drops every block above <paramref name="height"/> (-1 drops all) and clears <see cref="Corruption"/>:
    /// the repair step before appending blocks re-fetched from peers.
    /// </summary>
    Task TruncateAfterAsync(long height, CancellationToken cancellationToken = default);
}

/// <summary>A bad block found on open: the store serves every block below <see cref="Height"/> and none from it on.</summary>
/// <param name="Height">The first bad height.</param>
/// <param name="Reason">A sentence naming the height and what is wrong there.</param>
/// <param name="Fault">The chain rule the block breaks; null when its record failed its checksum or could not be read.</param>
public sealed record JournalCorruption(long Height, string Reason, ChainFault? Fault);
