using System.Diagnostics;
using System.Threading.Channels;
using ActorChain.Chain.Ledger;
using ActorChain.Consensus.Actors;
using ActorChain.Node.Chain;

namespace ActorChain.Node.Storage;

/// <summary>
/// Saves a ledger snapshot through the snapshot actor each time the durable journal has grown by
/// actorchain.persistence.snapshot-interval blocks, so a restart replays only the journal after it.
/// The ledger is copied on the chain actor (the only thread that may read it), which pauses the chain
/// for the copy; sorting, encoding and saving run off it.
/// </summary>
internal sealed class LocalSnapshotter : IAsyncDisposable
{
    private readonly string _nodeId;
    private readonly NodeConsensusStore _store;
    private readonly ChainClient _client;
    private readonly long _interval;
    private readonly ILogger _log;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private long _lastHeight;

    public LocalSnapshotter(string nodeId, NodeConsensusStore store, ChainClient client, long interval, long lastSnapshotHeight, ILogger log)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, 1);
        _nodeId = nodeId;
        _store = store;
        _client = client;
        _interval = interval;
        _log = log;
        _lastHeight = Math.Max(0, lastSnapshotHeight);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The height of the newest snapshot saved (or found at start); 0 before any.</summary>
    public long LastHeight => Interlocked.Read(ref _lastHeight);

    /// <summary>A batch became durable; called on the chain actor's thread, so it only signals.</summary>
    public void Notify() => _wake.Writer.TryWrite(true);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        var token = _stopping.Token;
        while (await _wake.Reader.WaitToReadAsync(token))
        {
            _wake.Reader.TryRead(out _);
            if (_store.Blocks.Height - LastHeight < _interval)
            {
                continue;
            }

            long height = -1;
            try
            {
                var started = Stopwatch.GetTimestamp();
                var captured = await _client.QueryAsync(LedgerSnapshot.Capture, token);
                var captureMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                height = captured.Height;
                var bytes = captured.Encode();
                await _store.SaveSnapshotAsync(height, bytes, token);
                Interlocked.Exchange(ref _lastHeight, height);
                StorageLog.LocalSnapshotSaved(_log, _nodeId, height, bytes.Length, captureMs);
            }
            catch (ChainUnavailableException)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
            {
                // Not retried at once: a full disk would make every block pay for an encoding that fails.
                Interlocked.Exchange(ref _lastHeight, Math.Max(LastHeight, _store.Blocks.Height));
                StorageLog.LocalSnapshotFailed(_log, _nodeId, height, $"{e.GetType().Name}: {e.Message}", _interval);
            }
        }
    }
}
