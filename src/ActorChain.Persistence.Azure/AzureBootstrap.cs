using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorChain.Persistence.Azure;

/// <summary>A ledger snapshot a new node can start from, saved by node <c>NodeId</c>; <see cref="HeadHash"/> is read from the snapshot, which passed its checksum.</summary>
public sealed record BootstrapSnapshot(string NodeId, long Height, Hash256 HeadHash, byte[] Bytes);

/// <summary>
/// Starts a new node from the cluster's blob snapshots. The snapshot is only as trustworthy as the
/// storage account: the node must check <see cref="BootstrapSnapshot.HeadHash"/> against a quorum of
/// peers before using it, and catch up the blocks after it from peers — that is the node's job, not this one's.
/// </summary>
public static class AzureBootstrap
{
    /// <summary>
    /// The newest snapshot any node saved in the container whose checksum and height are right, falling back to
    /// older ones (with a log line) when the newest is damaged; null when there is none.
    /// </summary>
    public static async Task<BootstrapSnapshot?> DownloadLatestSnapshotAsync(
        AzureStorage storage, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        logger ??= NullLogger.Instance;
        var candidates = new List<(long Height, string Name)>();
        await foreach (var name in BlobNames.ListAsync(storage.Container, AzureSnapshotStore.Root, cancellationToken).ConfigureAwait(false))
        {
            if (AzureSnapshotStore.TryParseHeight(name, out var height))
            {
                candidates.Add((height, name));
            }
        }

        // Newest first; among equal heights any order will do, as each is checked on its own.
        candidates.Sort((a, b) => b.Height.CompareTo(a.Height));
        foreach (var (height, name) in candidates)
        {
            var stored = await AzureSnapshotStore.ReadBlobAsync(storage.Container.GetBlockBlobReference(name), cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                continue;
            }

            try
            {
                LedgerSnapshot.ReadHeader(stored.Bytes, out var ledgerHeight, out var headHash);
                if (ledgerHeight != height)
                {
                    AzureLog.BootstrapSnapshotDamaged(logger, name, $"it holds the ledger at height {ledgerHeight}");
                    continue;
                }

                var nodeId = name[AzureSnapshotStore.Root.Length..name.LastIndexOf('/')];
                return new BootstrapSnapshot(nodeId, height, headHash, stored.Bytes);
            }
            catch (ChainFormatException e)
            {
                AzureLog.BootstrapSnapshotDamaged(logger, name, e.Message);
            }
        }

        return null;
    }
}
