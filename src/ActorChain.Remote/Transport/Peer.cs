using System.Threading.Channels;
using ActorChain.Remote.Faults;
using ActorChain.Remote.Framing;

namespace ActorChain.Remote.Transport;

/// <summary>An envelope waiting in a peer's queue, with its size taken once at <c>Send</c>.</summary>
internal readonly record struct OutboundEnvelope(RemoteEnvelope Envelope, int Size);

/// <summary>
/// Everything this node keeps about one remote address: the bounded outbound queue, the one current
/// connection, the dial loop with backoff, and the single writer loop that drains the queue into
/// whichever connection is current. The queue outlives connections, so a reconnect resumes in order.
/// </summary>
internal sealed class Peer
{
    private readonly RemoteTransport _transport;
    private readonly RemoteTransportOptions _options;
    private readonly Channel<OutboundEnvelope> _queue;
    private readonly Lock _gate = new();
    private readonly Task _writerTask;
    private Connection? _current;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _wanted;
    private bool _dialing;
    private bool _stopped;
    private int _attempt;

    public Peer(RemoteTransport transport, RemoteAddress address)
    {
        _transport = transport;
        _options = transport.Options;
        Address = address;
        _queue = Channel.CreateBounded<OutboundEnvelope>(new BoundedChannelOptions(_options.OutboundQueueCapacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
            AllowSynchronousContinuations = false,
        });
        _writerTask = Task.Run(WriterLoopAsync);
    }

    public RemoteAddress Address { get; }

    public Connection? Current => Volatile.Read(ref _current);

    public int QueuedCount => _queue.Reader.Count;

    public bool Enqueue(in OutboundEnvelope envelope)
    {
        if (!_queue.Writer.TryWrite(envelope))
        {
            return false;
        }

        if (Volatile.Read(ref _current) is null)
        {
            EnsureDialing();
        }

        return true;
    }

    public void Want()
    {
        lock (_gate)
        {
            _wanted = true;
        }

        EnsureDialing();
    }

    /// <summary>
    /// Makes <paramref name="connection"/> current unless the current one wins. Duplicates (both sides
    /// dialed at once) are resolved the same way on both ends: keep the connection dialed by the lower
    /// node id. A connection from a new incarnation of the peer, or a redial by the same side, replaces
    /// the old one, which is stale.
    /// </summary>
    public bool Attach(Connection connection)
    {
        Connection? loser;
        Connection? replaced = null;
        var restarted = false;
        lock (_gate)
        {
            if (_stopped)
            {
                loser = connection;
            }
            else if (_current is null || _current.IsClosed)
            {
                _current = connection;
                loser = null;
                Signal();
            }
            else
            {
                var current = _current;
                bool keepNew;
                if (current.RemoteIncarnation != connection.RemoteIncarnation || current.Peer.NodeId != connection.Peer.NodeId)
                {
                    keepNew = true;
                    restarted = true;
                }
                else
                {
                    var currentDialer = Dialer(current);
                    var newDialer = Dialer(connection);
                    keepNew = currentDialer == newDialer || string.CompareOrdinal(newDialer, currentDialer) < 0;
                }

                if (keepNew)
                {
                    replaced = current;
                    _current = connection;
                    loser = current;
                    Signal();
                }
                else
                {
                    loser = connection;
                }
            }
        }

        if (loser is not null && !_stopped)
        {
            var kept = ReferenceEquals(loser, connection) ? Volatile.Read(ref _current) : connection;
            if (restarted)
            {
                Log.PeerRestarted(_transport.Logger, connection.Peer);
            }
            else if (kept is not null)
            {
                Log.DuplicateConnection(_transport.Logger, connection.Peer, Dialer(kept));
            }
        }

        if (replaced is not null)
        {
            // The old connection is no longer current, so its abort does not raise Disconnected.
            replaced.Abort(restarted ? "the peer restarted" : "replaced by a duplicate connection");
            if (restarted)
            {
                _transport.RaiseDisconnected(replaced.Peer, "the peer restarted");
            }
        }

        if (ReferenceEquals(loser, connection))
        {
            connection.Abort(_stopped ? "the transport is stopping" : "a duplicate connection lost to the current one");
            return false;
        }

        lock (_gate)
        {
            _attempt = 0;
        }

        connection.OnAborted = OnConnectionAborted;
        if (connection.IsClosed)
        {
            OnConnectionAborted(connection);
            return false;
        }

        _transport.StartReceiving(connection);
        if (replaced is null || restarted)
        {
            _transport.RaiseConnected(connection);
        }

        return true;
    }

    /// <summary>Stops dialing and writing; what is still queued is drained onto a live connection or counted lost.</summary>
    public async Task StopAsync(TimeSpan drainTimeout)
    {
        Connection? current;
        lock (_gate)
        {
            _stopped = true;
            current = _current;
            Signal();
        }

        _queue.Writer.TryComplete();
        try
        {
            await _writerTask.WaitAsync(drainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        if (current is not null)
        {
            await current.CloseGracefullyAsync(drainTimeout, "the transport is stopping").ConfigureAwait(false);
        }

        var left = 0;
        while (_queue.Reader.TryRead(out _))
        {
            left++;
        }

        if (left > 0)
        {
            _transport.Counters.Lost(left);
        }
    }

    private static string Dialer(Connection connection, string localNodeId, string remoteNodeId) =>
        connection.DialedByUs ? localNodeId : remoteNodeId;

    private string Dialer(Connection connection) => Dialer(connection, _options.NodeId, connection.Peer.NodeId);

    private void OnConnectionAborted(Connection connection)
    {
        bool wasCurrent;
        lock (_gate)
        {
            wasCurrent = ReferenceEquals(_current, connection);
            if (wasCurrent)
            {
                _current = null;
                Signal();
            }
        }

        if (wasCurrent)
        {
            _transport.RaiseDisconnected(connection.Peer, connection.CloseReason ?? "closed");
            EnsureDialing();
        }
    }

    private void Signal()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    private bool ShouldDial() => !_stopped && !_transport.IsStopping && _current is null && (_wanted || _queue.Reader.Count > 0);

    private void EnsureDialing()
    {
        lock (_gate)
        {
            if (_dialing || !ShouldDial())
            {
                return;
            }

            _dialing = true;
        }

        _ = Task.Run(DialLoopAsync);
    }

    private async Task DialLoopAsync()
    {
        try
        {
            while (true)
            {
                int attempt;
                lock (_gate)
                {
                    if (!ShouldDial())
                    {
                        _dialing = false;
                        return;
                    }

                    attempt = _attempt;
                }

                if (attempt > 0)
                {
                    await Task.Delay(Backoff(attempt), _transport.Stopping).ConfigureAwait(false);
                    lock (_gate)
                    {
                        if (!ShouldDial())
                        {
                            _dialing = false;
                            return;
                        }
                    }
                }

                string failure;
                try
                {
                    var connection = await _transport.DialAsync(Address).ConfigureAwait(false);
                    if (connection is not null)
                    {
                        Attach(connection);
                        continue;
                    }

                    failure = "the handshake was refused";
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !_transport.IsStopping)
                {
                    failure = ex.Message;
                }

                lock (_gate)
                {
                    attempt = ++_attempt;
                }

                Log.DialFailed(_transport.Logger, Address, attempt, Backoff(attempt), failure);
            }
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                _dialing = false;
            }
        }
    }

    /// <summary>Exponential from the minimum, capped at the maximum, with "equal jitter" (half fixed, half random).</summary>
    private TimeSpan Backoff(int attempt)
    {
        var exponent = Math.Min(attempt - 1, 20);
        var ceiling = Math.Min(_options.ReconnectMaxBackoff.Ticks, _options.ReconnectMinBackoff.Ticks * (1L << exponent));
        var half = ceiling / 2;
        return TimeSpan.FromTicks(half + Random.Shared.NextInt64(half + 1));
    }

    private async Task WriterLoopAsync()
    {
        while (true)
        {
            Connection? connection;
            Task changed;
            lock (_gate)
            {
                connection = _current;
                changed = _changed.Task;
                if (connection is null && _stopped)
                {
                    return;
                }
            }

            if (connection is null || connection.IsClosed)
            {
                await changed.ConfigureAwait(false);
                continue;
            }

            var drained = await WriteToAsync(connection).ConfigureAwait(false);
            if (drained)
            {
                return;
            }

            connection.Abort("the writer stopped");
        }
    }

    /// <summary>Returns true when the queue was completed and fully written (graceful stop).</summary>
    private async Task<bool> WriteToAsync(Connection connection)
    {
        var reader = _queue.Reader;
        var output = connection.Output;
        var closed = connection.Closed;
        var counters = _transport.Counters;
        var faults = _transport.FaultInjector;
        var remoteNodeId = connection.Peer.NodeId;
        var heartbeat = _options.HeartbeatInterval;
        var flushThreshold = _options.FlushThreshold;
        var unflushed = 0;
        var inHand = false;
        CancellationTokenSource? idle = null;
        try
        {
            while (!closed.IsCancellationRequested)
            {
                if (reader.TryRead(out var item))
                {
                    var fault = faults.Get(remoteNodeId, FaultDirection.Send);
                    if (!fault.IsPassThrough)
                    {
                        if (fault.ShouldDrop())
                        {
                            counters.DroppedByFault();
                            continue;
                        }

                        var wait = fault.WaitBefore(item.Size);
                        if (wait > TimeSpan.Zero)
                        {
                            inHand = true;
                            if (unflushed > 0 && !await FlushAsync(output, unflushed).ConfigureAwait(false))
                            {
                                return false;
                            }

                            unflushed = 0;
                            await Task.Delay(wait, closed).ConfigureAwait(false);
                            inHand = false;
                        }
                    }

                    var frameSize = FrameCodec.HeaderSize + item.Size;
                    var span = output.GetSpan(frameSize);
                    FrameCodec.WriteHeader(span, FrameType.Envelope, item.Size);
                    item.Envelope.WriteCore(span[FrameCodec.HeaderSize..]);
                    output.Advance(frameSize);
                    unflushed++;
                    if (output.UnflushedBytes >= flushThreshold)
                    {
                        if (!await FlushAsync(output, unflushed).ConfigureAwait(false))
                        {
                            return false;
                        }

                        unflushed = 0;
                    }

                    continue;
                }

                if (unflushed > 0)
                {
                    if (!await FlushAsync(output, unflushed).ConfigureAwait(false))
                    {
                        return false;
                    }

                    unflushed = 0;
                }

                idle ??= CancellationTokenSource.CreateLinkedTokenSource(closed);
                idle.CancelAfter(heartbeat);
                bool more;
                try
                {
                    more = await reader.WaitToReadAsync(idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!closed.IsCancellationRequested)
                {
                    idle.Dispose();
                    idle = null;
                    FrameCodec.WriteFrame(output, FrameType.Heartbeat, []);
                    if (!await FlushAsync(output, 1).ConfigureAwait(false))
                    {
                        return false;
                    }

                    continue;
                }

                if (!more)
                {
                    FrameCodec.WriteFrame(output, FrameType.Close, []);
                    await FlushAsync(output, 1).ConfigureAwait(false);
                    return true;
                }
            }

            return false;
        }
        catch (OperationCanceledException) when (closed.IsCancellationRequested)
        {
            return false;
        }
        finally
        {
            idle?.Dispose();
            var lost = unflushed + (inHand ? 1 : 0);
            if (lost > 0 && connection.IsClosed)
            {
                counters.Lost(lost);
                Log.MessagesLost(_transport.Logger, connection.Peer, lost);
            }
        }

        async ValueTask<bool> FlushAsync(System.IO.Pipelines.PipeWriter writer, int frames)
        {
            var result = await writer.FlushAsync().ConfigureAwait(false);
            if (result.IsCompleted || result.IsCanceled)
            {
                connection.Abort("sending failed");
                return false;
            }

            counters.FramesSentBatch(frames);
            unflushed = 0;
            return true;
        }
    }
}
