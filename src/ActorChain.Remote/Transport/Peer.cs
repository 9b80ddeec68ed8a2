using System.Threading.Channels;
using ActorChain.Remote.Faults;
using ActorChain.Remote.Framing;

namespace ActorChain.Remote.Transport;

/// <summary>An envelope waiting in a peer's queue, with its size taken once at <c>Send</c> and when it was sent (for Delay faults).</summary>
internal readonly record struct OutboundEnvelope(RemoteEnvelope Envelope, int Size, long SentAt);

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
    /// Takes a freshly authenticated connection. One connection per pair, decided by node id order:
    /// the node with the lower id (the selector) keeps the first live connection, closes simultaneous
    /// duplicates before anything is written on them, and announces its choice with a Select frame;
    /// the other node (the follower) writes only on the connection it saw Select on. So no envelope is
    /// ever written on a connection that is later dropped as a duplicate, and order is kept.
    /// A connection from a new incarnation of the peer, or a redial by the side that dialed the
    /// current one (it gave that one up), replaces the current connection.
    /// </summary>
    public void Attach(Connection connection)
    {
        connection.IsSelector = string.CompareOrdinal(_options.NodeId, connection.Peer.NodeId) < 0;
        connection.OnAborted = OnConnectionAborted;
        connection.Owner = this;
        if (!connection.IsSelector)
        {
            bool stopped;
            lock (_gate)
            {
                stopped = _stopped;
            }

            if (stopped)
            {
                connection.Abort("the transport is stopping");
                return;
            }

            // The follower reads at once (the Select frame comes first) but writes only once selected.
            _transport.StartReceiving(connection);
            _ = AbortUnlessSelectedAsync(connection);
            return;
        }

        Connection? replaced = null;
        var keep = false;
        var restarted = false;
        lock (_gate)
        {
            if (_stopped)
            {
                keep = false;
            }
            else if (_current is null || _current.IsClosed)
            {
                keep = true;
            }
            else
            {
                restarted = _current.RemoteIncarnation != connection.RemoteIncarnation || _current.Peer.NodeId != connection.Peer.NodeId;
                keep = restarted || _current.DialedByUs == connection.DialedByUs;
                replaced = keep ? _current : null;
            }

            if (keep)
            {
                _current = connection;
                _attempt = 0;
                Signal();
            }
        }

        if (!keep)
        {
            if (!_stopped)
            {
                Log.DuplicateConnection(_transport.Logger, connection.Peer, connection.DialedByUs ? "the peer" : "this node");
            }

            connection.Abort(_stopped ? "the transport is stopping" : "a duplicate of the pair's connection");
            return;
        }

        Selected(connection, replaced, restarted);
    }

    /// <summary>The follower saw Select on <paramref name="connection"/>: it is now the pair's connection.</summary>
    public void OnSelectFrame(Connection connection)
    {
        Connection? replaced;
        bool restarted;
        lock (_gate)
        {
            if (_stopped || connection.IsClosed)
            {
                return;
            }

            replaced = _current is { IsClosed: false } current && !ReferenceEquals(current, connection) ? current : null;
            restarted = replaced is not null && (replaced.RemoteIncarnation != connection.RemoteIncarnation || replaced.Peer.NodeId != connection.Peer.NodeId);
            _current = connection;
            _attempt = 0;
            Signal();
        }

        Selected(connection, replaced, restarted);
    }

    private void Selected(Connection connection, Connection? replaced, bool restarted)
    {
        if (replaced is not null)
        {
            if (restarted)
            {
                Log.PeerRestarted(_transport.Logger, connection.Peer);
            }

            // No longer current, so this abort raises nothing; a restart is reported explicitly.
            replaced.Abort(restarted ? "the peer restarted" : "replaced by a newer connection");
            if (restarted)
            {
                _transport.RaiseDisconnected(replaced.Peer, "the peer restarted");
            }
        }

        if (!connection.MarkSelected())
        {
            OnConnectionAborted(connection);
            return;
        }

        if (connection.IsSelector)
        {
            _transport.StartReceiving(connection);
        }

        if (replaced is null || restarted)
        {
            _transport.RaiseConnected(connection);
        }
    }

    private async Task AbortUnlessSelectedAsync(Connection connection)
    {
        var selection = connection.Selection;
        if (await Task.WhenAny(selection, Task.Delay(_options.HandshakeTimeout, _transport.Stopping)).ConfigureAwait(false) != selection)
        {
            connection.Abort("the peer did not select this connection");
        }
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
        var drained = true;
        try
        {
            await _writerTask.WaitAsync(drainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            drained = false;
        }

        if (current is not null)
        {
            if (drained)
            {
                await current.CloseGracefullyAsync(drainTimeout, "the transport is stopping").ConfigureAwait(false);
            }
            else
            {
                // The writer is still busy on this connection; completing its pipe under it would race.
                current.Abort("the transport is stopping");
            }
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

                        // Not selected usually means another connection of the pair was; the loop
                        // head then sees it current and stops.
                        await connection.Selection.ConfigureAwait(false);
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
            if (connection.IsSelector)
            {
                FrameCodec.WriteFrame(output, FrameType.Select, []);
                if (!await FlushAsync(output, 1).ConfigureAwait(false))
                {
                    return false;
                }
            }

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

                        var wait = fault.WaitBefore(item.Size, item.SentAt);
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

            counters.AddFramesSent(frames);
            unflushed = 0;
            return true;
        }
    }
}
