using ActorChain.Actors;
using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using ActorChain.Consensus.Actors;
using Microsoft.Extensions.Logging;
using static ActorChain.Gateway.Uploads.HttpGatewayProtocol;

namespace ActorChain.Gateway.Uploads;

/// <summary>
/// One per node, at /user/gateway: bridges uploads to the chain. Concurrent uploads of the same
/// bytes are committed one after the other, so one file.add commits and the others see the file;
/// and it knows which blobs uploads hold, so a blob no committed file uses is removed once no
/// upload could still be about to use it (not while any upload is still streaming, since that
/// one's hash is not known yet).
/// </summary>
/// <remarks>
/// The file store is content-addressed, so "this upload stored it" is only known per put. A blob
/// whose file.add may still commit (a write timeout) is kept: a stray blob is harmless, a file
/// without its bytes is not. With a store shared by several nodes, another node's upload of the
/// same bytes that is between its put and its commit is invisible here; see docs/http-api.md.
/// </remarks>
internal sealed class HttpGatewayActor : ReceiveActor
{
    private readonly GatewayContext _gateway;
    private readonly ILogger _log;
    private readonly Dictionary<Hash256, int> _holders = [];
    private readonly Dictionary<Hash256, Queue<Commit>> _committing = [];
    private readonly HashSet<Hash256> _candidates = [];
    private readonly HashSet<Hash256> _uncertain = [];
    private int _streaming;

    public HttpGatewayActor(GatewayContext gateway)
    {
        _gateway = gateway;
        _log = gateway.LoggerFactory.CreateLogger<HttpGatewayActor>();
        Receive<Begin>(_ => _streaming++);
        Receive<Abandon>(OnAbandon);
        Receive<Commit>(OnCommit);
        Receive<Release>(OnRelease);
        Receive<FileDeleted>(m => Candidate(m.Sha256));
        Receive<CommitDone>(OnCommitDone);
        ReceiveAsync<Collect>(_ => CollectAsync());
    }

    public static Props Props(GatewayContext gateway) => Actors.Props.Create(() => new HttpGatewayActor(gateway));

    private void OnAbandon(Abandon message)
    {
        _streaming--;
        if (message.File is { Created: true } file)
        {
            Candidate(file.Sha256);
        }
        else
        {
            Self.Tell(Collect.Instance);
        }
    }

    private void OnCommit(Commit message)
    {
        _streaming--;
        var sha = message.File.Sha256;
        _holders[sha] = _holders.GetValueOrDefault(sha) + 1;
        if (message.File.Created)
        {
            _candidates.Add(sha);
        }

        if (_committing.TryGetValue(sha, out var waiting))
        {
            waiting.Enqueue(message);
            return;
        }

        _committing.Add(sha, new Queue<Commit>());
        Start(message);
    }

    private void OnRelease(Release message)
    {
        if (_holders.TryGetValue(message.Sha256, out var count))
        {
            if (count <= 1)
            {
                _holders.Remove(message.Sha256);
            }
            else
            {
                _holders[message.Sha256] = count - 1;
            }
        }

        Self.Tell(Collect.Instance);
    }

    private void OnCommitDone(CommitDone done)
    {
        var sha = done.Request.File.Sha256;
        done.Request.Reply.TrySetResult(done.Outcome);
        var waiting = _committing[sha];
        switch (done.Outcome.Status)
        {
            case UploadStatus.Created or UploadStatus.Existing:
                while (waiting.TryDequeue(out var next))
                {
                    next.Reply.TrySetResult(new UploadOutcome(UploadStatus.Existing));
                }

                break;
            case UploadStatus.Uncertain:
                _uncertain.Add(sha);
                _candidates.Remove(sha);
                GatewayLog.CommitUncertain(_log, _gateway.NodeId, sha, done.Request.Entry.Id);
                break;
        }

        // After a failure each waiting upload tries its own entry: theirs may carry other names or tags.
        if (waiting.TryDequeue(out var retry))
        {
            Start(retry);
            return;
        }

        _committing.Remove(sha);
        Self.Tell(Collect.Instance);
    }

    private void Start(Commit request) =>
        CommitAsync(request).PipeTo(
            Self,
            success: outcome => new CommitDone(request, outcome),
            failure: e => new CommitDone(request, new UploadOutcome(UploadStatus.Uncertain, Detail: e.Message)));

    private async Task<UploadOutcome> CommitAsync(Commit request)
    {
        var chain = _gateway.Chain;
        var fileId = request.File.Sha256.ToString();
        if (await chain.QueryAsync(ledger => ledger.TryGetFile(fileId, out _)).ConfigureAwait(false))
        {
            return new UploadOutcome(UploadStatus.Existing);
        }

        CommitResult result;
        using (var timeout = new CancellationTokenSource(_gateway.Options.WriteTimeout))
        {
            try
            {
                result = await chain.SubmitAsync(request.Entry, timeout.Token).ConfigureAwait(false);
            }
            catch (SubmissionRejectedException e) when (e.IsMempoolFull)
            {
                return new UploadOutcome(UploadStatus.Busy, Detail: e.Message);
            }
            catch (SubmissionRejectedException e)
            {
                return new UploadOutcome(UploadStatus.Rejected, Detail: e.Message);
            }
            catch (ChainUnavailableException e)
            {
                return new UploadOutcome(UploadStatus.Uncertain, Detail: e.Message);
            }
            catch (OperationCanceledException)
            {
                return new UploadOutcome(
                    UploadStatus.Uncertain,
                    Detail: $"entry {request.Entry.Id} was not committed within {_gateway.Options.WriteTimeout} (no quorum of voters?); it may still commit");
            }
        }

        if (result.Status == EntryStatus.Applied)
        {
            GatewayLog.FileAdded(_log, _gateway.NodeId, fileId, request.File.Length, FileAddPayload.Decode(request.Entry.Payload.Span).FileName, result.Height);
            return new UploadOutcome(UploadStatus.Created, result);
        }

        // Another node's file.add of the same bytes can win the race: the content is a file either way.
        return await chain.QueryAsync(ledger => ledger.TryGetFile(fileId, out _)).ConfigureAwait(false)
            ? new UploadOutcome(UploadStatus.Existing, result)
            : new UploadOutcome(UploadStatus.Rejected, result, result.Reason);
    }

    private void Candidate(Hash256 sha)
    {
        _candidates.Add(sha);
        Self.Tell(Collect.Instance);
    }

    // Runs as one turn of the actor: no upload can report a hash (and so start relying on a blob) while a blob is removed.
    private async Task CollectAsync()
    {
        if (_streaming > 0 || _candidates.Count == 0)
        {
            return;
        }

        foreach (var sha in _candidates.ToArray())
        {
            if (_holders.ContainsKey(sha) || _committing.ContainsKey(sha) || _uncertain.Contains(sha))
            {
                continue;
            }

            _candidates.Remove(sha);
            var fileId = sha.ToString();
            try
            {
                if (!await _gateway.Chain.QueryAsync(ledger => ledger.TryGetFile(fileId, out _))
                    && await _gateway.Files.DeleteAsync(sha))
                {
                    GatewayLog.OrphanRemoved(_log, _gateway.NodeId, sha);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ChainUnavailableException)
            {
                GatewayLog.OrphanRemovalFailed(_log, _gateway.NodeId, sha, e);
            }
        }
    }
}
