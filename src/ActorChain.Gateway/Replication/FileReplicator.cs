using ActorChain.Actors;
using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using ActorChain.Consensus.Actors;
using ActorChain.Persistence;
using Microsoft.Extensions.Logging;
using static ActorChain.Gateway.Replication.FileReplicatorProtocol;
using static ActorChain.Gateway.Uploads.HttpGatewayProtocol;

namespace ActorChain.Gateway.Replication;

/// <summary>
/// One per node, at /user/file-replicator: every node keeps a copy of every file's bytes. It serves
/// chunks of its blobs to peers, and watches the chain: a decided file.add whose bytes this node
/// lacks is copied from peers (the entry's origin first), a decided file.delete removes the local
/// blob (through <see cref="Uploads.HttpGatewayActor"/>, which knows whether an upload holds it).
/// </summary>
/// <remarks>
/// The chain is polled rather than subscribed to: the chain actor publishes only its head, and a
/// poll of the blocks since the last one seen also covers blocks learned by catch-up. On start the
/// whole ledger is compared with the store, so files missed while the node was down are copied.
/// </remarks>
internal sealed partial class FileReplicator : ReceiveActor, IWithTimers
{
    private readonly string _nodeId;
    private readonly IChainService _chain;
    private readonly IFileStore _files;
    private readonly IReplicaPeers _peers;
    private readonly IActorRef? _gateway;
    private readonly FileReplicationOptions _options;
    private readonly ILogger _log;
    private readonly Dictionary<Hash256, Want> _wanted = [];
    private readonly HashSet<Hash256> _running = [];
    private readonly CancellationTokenSource _stopping = new();
    private long _scannedHeight = -1;
    private bool _scanning;
    private int _serving;

    public FileReplicator(
        string nodeId, IChainService chain, IFileStore files, IReplicaPeers peers, IActorRef? gateway, FileReplicationOptions options, ILogger log)
    {
        _nodeId = nodeId;
        _chain = chain;
        _files = files;
        _peers = peers;
        _gateway = gateway;
        _options = options;
        _log = log;
        Receive<FetchChunk>(OnFetch);
        Receive<Need>(OnNeed);
        Receive<Tick>(_ => OnTick());
        Receive<Scanned>(OnScanned);
        Receive<ScanFailed>(m =>
        {
            _scanning = false;
            ReplicationLog.ScanFailed(_log, _nodeId, m.Cause);
        });
        Receive<CopyDone>(OnCopyDone);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(
        string nodeId, IChainService chain, IFileStore files, IReplicaPeers peers, IActorRef? gateway, FileReplicationOptions options, ILogger log) =>
        Actors.Props.Create(() => new FileReplicator(nodeId, chain, files, peers, gateway, options, log));

    protected override void PreStart()
    {
        Directory.CreateDirectory(_options.TempDirectory);
        foreach (var stale in Directory.EnumerateFiles(_options.TempDirectory, "*" + PartSuffix))
        {
            // Left by a copy that a crash interrupted: the copy starts again from the chain.
            File.Delete(stale);
        }

        Timers.StartPeriodicTimer(Tick.Instance, Tick.Instance, TimeSpan.Zero, _options.PollInterval);
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        foreach (var want in _wanted.Values)
        {
            want.Complete(false);
        }
    }

    private void OnNeed(Need need)
    {
        if (!_wanted.TryGetValue(need.Sha256, out var want))
        {
            want = new Want(need.Sha256, need.Size, need.Origin);
            _wanted.Add(need.Sha256, want);
        }

        // A reader is waiting: no backoff for this one.
        want.NotBefore = DateTime.MinValue;
        want.Waiters.RemoveAll(w => w.Task.IsCompleted);
        want.Waiters.Add(need.Ready);
        StartCopies();
    }

    private void OnTick()
    {
        if (!_scanning)
        {
            _scanning = true;
            ScanAsync(_scannedHeight, _stopping.Token).PipeTo(Self, success: s => s, failure: e => new ScanFailed(e));
        }

        StartCopies();
    }

    private void OnScanned(Scanned scanned)
    {
        _scanning = false;
        if (_scannedHeight < 0 && scanned.Missing.Count > 0)
        {
            ReplicationLog.Resuming(_log, _nodeId, scanned.Missing.Count, scanned.Height);
        }

        _scannedHeight = Math.Max(_scannedHeight, scanned.Height);
        foreach (var missing in scanned.Missing)
        {
            if (!_wanted.ContainsKey(missing.Sha256))
            {
                _wanted.Add(missing.Sha256, new Want(missing.Sha256, missing.Size, missing.Origin));
            }
        }

        foreach (var sha in scanned.Deleted)
        {
            if (_wanted.Remove(sha, out var want))
            {
                want.Complete(false);
            }

            _gateway?.Tell(new FileDeleted(sha), ActorRefs.NoSender);
        }

        StartCopies();
    }

    private void StartCopies()
    {
        if (_running.Count >= _options.MaxConcurrentFiles || _wanted.Count == 0)
        {
            return;
        }

        var now = DateTime.UtcNow;
        var ready = _wanted.Values
            .Where(w => !_running.Contains(w.Sha256) && w.NotBefore <= now)
            .OrderByDescending(w => w.Waiters.Count > 0)
            .ThenBy(w => w.NotBefore)
            .Take(_options.MaxConcurrentFiles - _running.Count)
            .ToArray();
        if (ready.Length == 0)
        {
            return;
        }

        var peers = _peers.Current();
        foreach (var want in ready)
        {
            _running.Add(want.Sha256);
            var sha = want.Sha256;
            CopyAsync(new Wanted(sha, want.Size, want.Origin), peers, _stopping.Token).PipeTo(
                Self,
                success: done => done,
                failure: e => new CopyDone(sha, CopyResult.Failed, e.Message));
        }
    }

    private void OnCopyDone(CopyDone done)
    {
        _running.Remove(done.Sha256);
        if (!_wanted.TryGetValue(done.Sha256, out var want))
        {
            StartCopies();
            return;
        }

        switch (done.Result)
        {
            case CopyResult.Stored:
                _wanted.Remove(done.Sha256);
                want.Complete(true);
                break;
            case CopyResult.Gone:
                _wanted.Remove(done.Sha256);
                want.Complete(false);
                break;
            default:
                want.Attempts++;
                var exponent = Math.Min(want.Attempts - 1, 16);
                var ceiling = Math.Min(_options.MaxBackoff.Ticks, _options.MinBackoff.Ticks * (1L << exponent));
                var delay = TimeSpan.FromTicks(ceiling / 2 + Random.Shared.NextInt64(ceiling / 2 + 1));
                want.NotBefore = DateTime.UtcNow + delay;
                ReplicationLog.CopyFailed(_log, _nodeId, done.Sha256, want.Attempts, delay, done.Detail ?? "no peer had the bytes");
                break;
        }

        StartCopies();
    }

    /// <summary>
    /// Off the actor: the files this node lacks, and those deleted, since <paramref name="fromHeight"/>
    /// (the whole ledger when it is negative: a start or restart).
    /// </summary>
    private async Task<Scanned> ScanAsync(long fromHeight, CancellationToken cancellationToken)
    {
        if (fromHeight < 0)
        {
            var (height, files) = await _chain.QueryAsync(AllFiles, cancellationToken).ConfigureAwait(false);
            var missing = await MissingAsync([.. files.Select(f => f.File)], cancellationToken).ConfigureAwait(false);
            return new Scanned(height, await WithOriginsAsync(missing, files, cancellationToken).ConfigureAwait(false), []);
        }

        if (_chain.Head.Height <= fromHeight)
        {
            return new Scanned(fromHeight, [], []);
        }

        var blocks = await _chain.GetBlocksAsync(fromHeight + 1, 256, cancellationToken).ConfigureAwait(false);
        if (blocks.Count == 0)
        {
            return new Scanned(fromHeight, [], []);
        }

        var added = new Dictionary<string, string>(StringComparer.Ordinal);
        var deleted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in blocks.SelectMany(b => b.Entries))
        {
            // A payload that does not decode was rejected by the ledger too: nothing to copy or delete.
            try
            {
                switch (entry.Kind)
                {
                    case EntryKind.FileAdd:
                        added[FileAddPayload.Decode(entry.Payload.Span).FileId] = entry.Origin;
                        break;
                    case EntryKind.FileDelete:
                        deleted.Add(FileDeletePayload.Decode(entry.Payload.Span).FileId);
                        break;
                }
            }
            catch (ChainFormatException)
            {
            }
        }

        var last = blocks[^1].Height;
        if (added.Count == 0 && deleted.Count == 0)
        {
            return new Scanned(last, [], []);
        }

        // The ledger decides: an add it rejected or a later delete means no copy; a delete it rejected (or a re-upload) means keep.
        var ids = added.Keys.Concat(deleted).Distinct(StringComparer.Ordinal).ToArray();
        var current = await _chain.QueryAsync(
            ledger => ids.ToDictionary(id => id, id => ledger.TryGetFile(id, out var file) ? (Wanted?)new Wanted(file.Sha256, file.Size, null) : null, StringComparer.Ordinal),
            cancellationToken).ConfigureAwait(false);
        var present = added.Keys
            .Where(id => current[id] is not null)
            .Select(id => current[id]! with { Origin = added[id] })
            .ToArray();
        var gone = deleted
            .Where(id => current[id] is null && Hash256.TryParse(id, out _))
            .Select(Hash256.Parse)
            .ToArray();
        return new Scanned(last, await MissingAsync(present, cancellationToken).ConfigureAwait(false), gone);
    }

    private static (long Height, IReadOnlyList<(Wanted File, long Height, string EntryId)> Files) AllFiles(LedgerState ledger)
    {
        var files = new List<(Wanted, long, string)>(ledger.FileCount);
        for (var skip = 0; ; skip += FileQuery.MaxTake)
        {
            var page = ledger.Search(new FileQuery { Skip = skip, Take = FileQuery.MaxTake });
            files.AddRange(page.Items.Select(f => (new Wanted(f.Sha256, f.Size, null), f.AddedHeight, f.AddedEntryId)));
            if (page.Items.Count < FileQuery.MaxTake)
            {
                return (ledger.Height, files);
            }
        }
    }

    // The ledger keeps no origin: it is read from the file.add in its block, so the uploader is asked first after a restart too.
    private async Task<IReadOnlyList<Wanted>> WithOriginsAsync(
        IReadOnlyList<Wanted> missing, IReadOnlyList<(Wanted File, long Height, string EntryId)> files, CancellationToken cancellationToken)
    {
        if (missing.Count == 0)
        {
            return missing;
        }

        var added = files.ToDictionary(f => f.File.Sha256, f => (f.Height, f.EntryId));
        var found = new List<Wanted>(missing.Count);
        foreach (var file in missing)
        {
            var (height, entryId) = added[file.Sha256];
            var block = await _chain.GetBlockAsync(height, cancellationToken).ConfigureAwait(false);
            found.Add(file with { Origin = block?.Entries.FirstOrDefault(e => e.Id == entryId)?.Origin });
        }

        return found;
    }

    private async Task<IReadOnlyList<Wanted>> MissingAsync(IReadOnlyList<Wanted> files, CancellationToken cancellationToken)
    {
        var missing = new List<Wanted>();
        foreach (var file in files)
        {
            if (await _files.GetLengthAsync(file.Sha256, cancellationToken).ConfigureAwait(false) is null)
            {
                missing.Add(file);
            }
        }

        return missing;
    }

    private sealed class Want(Hash256 sha256, long size, string? origin)
    {
        public Hash256 Sha256 { get; } = sha256;

        public long Size { get; } = size;

        public string? Origin { get; } = origin;

        public int Attempts { get; set; }

        public DateTime NotBefore { get; set; } = DateTime.MinValue;

        public List<TaskCompletionSource<bool>> Waiters { get; } = [];

        public void Complete(bool stored)
        {
            foreach (var waiter in Waiters)
            {
                waiter.TrySetResult(stored);
            }

            Waiters.Clear();
        }
    }
}
