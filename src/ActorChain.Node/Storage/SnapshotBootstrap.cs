using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using ActorChain.Cluster;
using ActorChain.Node.Chain;
using ActorChain.Node.Configuration;
using ActorChain.Persistence.Azure;

namespace ActorChain.Node.Storage;

/// <summary>
/// Starts a node with an empty data directory from Azure (DESIGN §7): the newest blob snapshot, whose head
/// hash a quorum of the snapshot's voters must confirm over remoting before anything is written, and the
/// archived blocks up to it, verified from this cluster's genesis to that head. The chain then catches up
/// the rest from peers as usual. The journal must hold every block (peers catch up from it and verify
/// reads it), so the archive brings the blocks; the snapshot, saved locally, seeds the ledger and names
/// the head they must reach. Writes go through the journal and snapshot actors like every other.
/// Any failure falls back to catching up from genesis through peers, with a log line saying why.
/// </summary>
internal sealed class SnapshotBootstrap(
    NodeSettings settings, AzureStorage storage, NodeConsensusStore store, HeadGossip gossip, Cluster.Cluster cluster, ILogger log)
{
    private static readonly TimeSpan AskInterval = TimeSpan.FromMilliseconds(500);
    private const int AppendBatchBlocks = 256;

    /// <summary>The height the node bootstrapped to; null when it did not.</summary>
    public async Task<long?> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await BootstrapAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            StorageLog.BootstrapSkipped(log, settings.NodeId, $"{e.GetType().Name}: {e.Message}");
            if (store.Blocks.Height >= 0)
            {
                // Half-written blocks of a failed bootstrap are verified but unconfirmed: start clean.
                await store.TruncateAfterAsync(-1, cancellationToken);
            }

            return null;
        }
    }

    private async Task<long?> BootstrapAsync(CancellationToken cancellationToken)
    {
        // The first node of a cluster finds no container; creating it here makes that "no snapshot", not a failure.
        await storage.EnsureCreatedAsync(cancellationToken);
        var snapshot = await AzureBootstrap.DownloadLatestSnapshotAsync(storage, log, cancellationToken);
        if (snapshot is null)
        {
            StorageLog.BootstrapNoSnapshot(log, settings.NodeId, storage.Options.Container);
            return null;
        }

        StorageLog.BootstrapStarting(log, settings.NodeId, snapshot.NodeId, snapshot.Height, snapshot.HeadHash.ToString());
        if (!LedgerSnapshot.TryDecode(snapshot.Bytes, out var ledger, out var error))
        {
            StorageLog.BootstrapSkipped(log, settings.NodeId, $"the snapshot of {snapshot.NodeId} at {snapshot.Height} does not decode: {error}");
            return null;
        }

        var blocks = await ReadArchiveAsync(snapshot, cancellationToken);
        if (blocks is null)
        {
            return null;
        }

        var confirmed = await ConfirmWithQuorumAsync(snapshot, ledger!.Voters, cancellationToken);
        if (confirmed is null)
        {
            return null;
        }

        for (var from = 0; from < blocks.Count; from += AppendBatchBlocks)
        {
            var batch = blocks.Skip(from).Take(AppendBatchBlocks).Select(b => BlockCodec.DecodeBlock(b)).ToArray();
            await store.PersistBlocksAsync(batch, cancellationToken);
        }

        await store.SaveSnapshotAsync(snapshot.Height, snapshot.Bytes, cancellationToken);
        StorageLog.Bootstrapped(log, settings.NodeId, snapshot.Height, snapshot.HeadHash.ToString(), confirmed.Count, string.Join(",", confirmed));
        return snapshot.Height;
    }

    /// <summary>Blocks 0..snapshot height from the snapshot writer's archive, verified from this cluster's genesis to the snapshot's head.</summary>
    private async Task<List<byte[]>?> ReadArchiveAsync(BootstrapSnapshot snapshot, CancellationToken cancellationToken)
    {
        var archive = new AzureBlockArchive(storage, snapshot.NodeId);
        var blocks = new List<byte[]>();
        foreach (var segment in await archive.ListAsync(cancellationToken))
        {
            if (blocks.Count > snapshot.Height)
            {
                break;
            }

            if (segment.LastHeight < blocks.Count)
            {
                continue;
            }

            if (segment.FirstHeight > blocks.Count)
            {
                break;
            }

            var read = await archive.ReadAsync(segment, cancellationToken);
            blocks.AddRange(read.Skip((int)(blocks.Count - segment.FirstHeight)));
        }

        if (blocks.Count <= snapshot.Height)
        {
            StorageLog.BootstrapSkipped(log, settings.NodeId, $"the archive of {snapshot.NodeId} holds blocks up to {blocks.Count - 1}, not up to the snapshot's {snapshot.Height}");
            return null;
        }

        blocks.RemoveRange((int)snapshot.Height + 1, blocks.Count - (int)snapshot.Height - 1);
        var result = ChainVerifier.VerifyEncoded(blocks.Select(b => (ReadOnlyMemory<byte>)b), settings.ClusterId, NodeChain.Genesis(settings).Hash);
        if (!result.IsValid || result.Height != snapshot.Height || result.HeadHash != snapshot.HeadHash)
        {
            StorageLog.BootstrapSkipped(
                log, settings.NodeId, $"the archive of {snapshot.NodeId} does not verify up to the snapshot's head: {result.Reason ?? $"it ends at {result.Height} ({result.HeadHash})"}");
            return null;
        }

        return blocks;
    }

    /// <summary>The voters that confirmed the snapshot's head hash, once they are a quorum; null when none formed in time or a quorum disagreed.</summary>
    private async Task<List<string>?> ConfirmWithQuorumAsync(BootstrapSnapshot snapshot, IReadOnlyList<string> voters, CancellationToken cancellationToken)
    {
        var quorum = (voters.Count / 2) + 1;
        var expected = snapshot.HeadHash.ToString();
        var self = RemoteClusterTransport.ToRemoteAddress(cluster.SelfAddress).ToString();
        var deadline = DateTime.UtcNow + storage.Options.BootstrapTimeout;
        using var timer = new PeriodicTimer(AskInterval);
        do
        {
            var answers = gossip.Answers(snapshot.Height);
            var confirmed = answers.Where(a => voters.Contains(a.Key) && a.Value == expected).Select(a => a.Key).Order(StringComparer.Ordinal).ToList();
            if (confirmed.Count >= quorum)
            {
                return confirmed;
            }

            var disagreeing = answers.Where(a => voters.Contains(a.Key) && a.Value is not null && a.Value != expected).ToList();
            if (disagreeing.Count >= quorum)
            {
                StorageLog.BootstrapSkipped(
                    log, settings.NodeId, $"a quorum of voters holds another block {snapshot.Height} than the snapshot's head {expected}: {string.Join(", ", disagreeing.Select(d => $"{d.Key}={d.Value}"))}");
                return null;
            }

            // The seeds are known before this node has joined; other members come with the first gossip.
            var targets = settings.Seeds.Select(s => s.ToString())
                .Concat(cluster.State.Members.Select(m => RemoteClusterTransport.ToRemoteAddress(m.Address).ToString()))
                .Where(a => a != self)
                .Distinct(StringComparer.Ordinal);
            foreach (var target in targets)
            {
                gossip.AskBlockHash(target, snapshot.Height);
            }
        }
        while (DateTime.UtcNow < deadline && await timer.WaitForNextTickAsync(cancellationToken));

        StorageLog.BootstrapSkipped(
            log, settings.NodeId, $"no quorum ({quorum} of voters {string.Join(",", voters)}) confirmed head {expected} at {snapshot.Height} within {storage.Options.BootstrapTimeout}");
        return null;
    }
}
