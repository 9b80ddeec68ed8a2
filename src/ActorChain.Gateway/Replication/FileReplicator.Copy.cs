using System.Collections.Concurrent;
using System.Security.Cryptography;
using ActorChain.Actors;
using ActorChain.Chain;
using static ActorChain.Gateway.Replication.FileReplicatorProtocol;

namespace ActorChain.Gateway.Replication;

/// <summary>
/// Copying one file: chunk by chunk from one peer into a temp file, hashed as it arrives. Bytes
/// whose SHA-256 is not the file's never reach the store; the next peer is tried instead.
/// </summary>
internal sealed partial class FileReplicator
{
    private const string PartSuffix = ".part";

    private static readonly TimeSpan SilentPeerPenalty = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, DateTime> _silentUntil = new(StringComparer.Ordinal);

    private enum PeerResult
    {
        Stored,
        NotThere,
        Corrupt,
        Unreachable,
    }

    private async Task<CopyDone> CopyAsync(Wanted file, IReadOnlyList<ReplicaPeer> peers, CancellationToken cancellationToken)
    {
        if (await _files.GetLengthAsync(file.Sha256, cancellationToken).ConfigureAwait(false) is not null)
        {
            return new CopyDone(file.Sha256, CopyResult.Stored, null);
        }

        var fileId = file.Sha256.ToString();
        if (!await _chain.QueryAsync(l => l.TryGetFile(fileId, out var f) && f.Sha256 == file.Sha256, cancellationToken).ConfigureAwait(false))
        {
            return new CopyDone(file.Sha256, CopyResult.Gone, null);
        }

        // A peer that just let a fetch time out (down, or partitioned) goes last: it would cost a whole chunk timeout again.
        var now = DateTime.UtcNow;
        var ordered = peers
            .OrderBy(p => _silentUntil.TryGetValue(p.NodeId, out var until) && until > now)
            .ThenBy(p => p.NodeId != file.Origin)
            .ToArray();
        var outcomes = new List<string>(ordered.Length);
        foreach (var peer in ordered)
        {
            var (result, detail) = await CopyFromAsync(file, peer, cancellationToken).ConfigureAwait(false);
            if (result == PeerResult.Stored)
            {
                ReplicationLog.Copied(_log, _nodeId, file.Sha256, file.Size, peer.NodeId);
                return new CopyDone(file.Sha256, CopyResult.Stored, null);
            }

            if (result == PeerResult.Unreachable)
            {
                _silentUntil[peer.NodeId] = DateTime.UtcNow + SilentPeerPenalty;
            }
            else
            {
                _silentUntil.TryRemove(peer.NodeId, out _);
            }

            if (result == PeerResult.Corrupt)
            {
                ReplicationLog.Corrupt(_log, _nodeId, file.Sha256, peer.NodeId, detail);
            }

            outcomes.Add($"{peer.NodeId}: {detail}");
        }

        return new CopyDone(
            file.Sha256,
            CopyResult.Failed,
            ordered.Length == 0 ? "no peers known" : string.Join("; ", outcomes));
    }

    private async Task<(PeerResult Result, string Detail)> CopyFromAsync(Wanted file, ReplicaPeer peer, CancellationToken cancellationToken)
    {
        var temp = Path.Combine(_options.TempDirectory, Guid.NewGuid().ToString("N") + PartSuffix);
        var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        await using (stream.ConfigureAwait(false))
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            for (long offset = 0; offset < file.Size;)
            {
                var length = (int)Math.Min(_options.ChunkSize, file.Size - offset);
                object reply;
                try
                {
                    reply = await peer.Replicator.Ask<object>(new FetchChunk(file.Sha256, offset, length), _options.ChunkTimeout, cancellationToken).ConfigureAwait(false);
                }
                catch (AskTimeoutException)
                {
                    return (PeerResult.Unreachable, $"no answer within {_options.ChunkTimeout}");
                }

                switch (reply)
                {
                    case ChunkNotHere notHere:
                        return (PeerResult.NotThere, notHere.Reason.ToString());
                    case ChunkReply chunk when chunk.Sha256 == file.Sha256 && chunk.Offset == offset && chunk.TotalLength == file.Size && chunk.Data.Length == length:
                        hash.AppendData(chunk.Data.Span);
                        await stream.WriteAsync(chunk.Data, cancellationToken).ConfigureAwait(false);
                        offset += length;
                        break;
                    case ChunkReply chunk:
                        return (PeerResult.Corrupt, $"asked {length} bytes at {offset} of {file.Size}, got {chunk.Data.Length} at {chunk.Offset} of {chunk.TotalLength} for {chunk.Sha256}");
                    default:
                        return (PeerResult.Corrupt, $"unexpected answer {reply.GetType().Name}");
                }
            }

            var actual = new Hash256(hash.GetHashAndReset());
            if (actual != file.Sha256)
            {
                return (PeerResult.Corrupt, $"the bytes hash to {actual}");
            }

            stream.Position = 0;
            var stored = await _files.PutAsync(stream, cancellationToken).ConfigureAwait(false);
            if (stored.Sha256 != file.Sha256)
            {
                // The temp file changed under us (it should not): whatever went in is not this file.
                if (stored.Created)
                {
                    await _files.DeleteAsync(stored.Sha256, CancellationToken.None).ConfigureAwait(false);
                }

                return (PeerResult.Corrupt, $"the store hashed the copy to {stored.Sha256}");
            }

            return (PeerResult.Stored, "stored");
        }
    }
}
