using ActorChain.Actors;

namespace ActorChain.Gateway.Replication;

/// <summary>Serving: a peer's <see cref="FetchChunk"/> is untrusted input, checked before any read.</summary>
internal sealed partial class FileReplicator
{
    private void OnFetch(FetchChunk fetch)
    {
        var sender = Sender;
        if (fetch.Offset < 0 || fetch.Length <= 0 || fetch.Length > ReplicationWire.MaxChunkSize)
        {
            Refuse(sender, fetch, NotHereReason.Invalid);
            return;
        }

        if (Interlocked.Increment(ref _serving) > _options.MaxServing)
        {
            Interlocked.Decrement(ref _serving);
            Refuse(sender, fetch, NotHereReason.Busy);
            return;
        }

        _ = ServeAsync(fetch, sender, Self);
    }

    private async Task ServeAsync(FetchChunk fetch, IActorRef sender, IActorRef self)
    {
        object reply;
        try
        {
            reply = await ReadChunkAsync(fetch, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            ReplicationLog.ServeFailed(_log, _nodeId, fetch.Sha256, fetch.Offset, e);
            reply = new ChunkNotHere(fetch.Sha256, NotHereReason.NotStored);
        }
        finally
        {
            Interlocked.Decrement(ref _serving);
        }

        if (reply is ChunkNotHere notHere)
        {
            ReplicationLog.NotHere(_log, _nodeId, fetch.Sha256, fetch.Offset, fetch.Length, notHere.Reason);
        }

        sender.Tell(reply, self);
    }

    private async Task<object> ReadChunkAsync(FetchChunk fetch, CancellationToken cancellationToken)
    {
        if (await _files.GetLengthAsync(fetch.Sha256, cancellationToken).ConfigureAwait(false) is not { } total)
        {
            return new ChunkNotHere(fetch.Sha256, NotHereReason.NotStored);
        }

        if (fetch.Offset > total)
        {
            return new ChunkNotHere(fetch.Sha256, NotHereReason.Invalid);
        }

        var length = (int)Math.Min(fetch.Length, total - fetch.Offset);
        var stream = await _files.OpenReadAsync(fetch.Sha256, fetch.Offset, length, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return new ChunkNotHere(fetch.Sha256, NotHereReason.NotStored);
        }

        await using (stream.ConfigureAwait(false))
        {
            var data = new byte[length];
            var read = await stream.ReadAtLeastAsync(data, length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);

            // Shorter than its length: the blob went away or was cut while being read; not worth sending.
            return read == length
                ? new ChunkReply(fetch.Sha256, fetch.Offset, total, data)
                : new ChunkNotHere(fetch.Sha256, NotHereReason.NotStored);
        }
    }

    private void Refuse(IActorRef sender, FetchChunk fetch, NotHereReason reason)
    {
        ReplicationLog.NotHere(_log, _nodeId, fetch.Sha256, fetch.Offset, fetch.Length, reason);
        sender.Tell(new ChunkNotHere(fetch.Sha256, reason), Self);
    }
}
