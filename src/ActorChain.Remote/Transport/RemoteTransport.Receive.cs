using System.Buffers;
using System.Diagnostics;
using System.Threading.Channels;
using ActorChain.Remote.Faults;
using ActorChain.Remote.Framing;

namespace ActorChain.Remote.Transport;

public sealed partial class RemoteTransport
{
    internal void StartReceiving(Connection connection) => _ = Task.Run(() => ReceiveLoopAsync(connection));

    /// <summary>
    /// Parses frames straight out of the input pipe. A frame's header is judged before its payload is
    /// awaited (FrameCodec), and the pipe never holds more than one max-size frame plus slack, so a
    /// hostile length costs nothing. Any bad frame closes this connection only.
    /// </summary>
    private async Task ReceiveLoopAsync(Connection connection)
    {
        var input = connection.Input;
        var peer = connection.Peer;
        var maxFrameSize = Options.MaxFrameSize;
        DelayedDelivery? delayed = null;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                if (result.IsCanceled)
                {
                    return;
                }

                try
                {
                    while (FrameCodec.TryReadFrame(ref buffer, maxFrameSize, out var type, out var payload))
                    {
                        Counters.FrameReceived();
                        switch (type)
                        {
                            case FrameType.Select when !connection.IsSelector:
                                connection.Owner?.OnSelectFrame(connection);
                                break;
                            case FrameType.Envelope when connection.IsSelector || connection.Selection.IsCompleted:
                                var envelope = DecodeEnvelope(payload);
                                var fault = _faults.Get(peer.NodeId, FaultDirection.Receive);
                                if (!fault.IsPassThrough)
                                {
                                    if (fault.ShouldDrop())
                                    {
                                        Counters.DroppedByFault();
                                        continue;
                                    }

                                    var now = Stopwatch.GetTimestamp();
                                    var wait = fault.WaitBefore((int)payload.Length, now);
                                    if (fault.IsDelay)
                                    {
                                        // Delays run beside the read loop, so later envelopes keep arriving (and
                                        // being timed) while earlier ones wait; a throttle blocks it on purpose.
                                        delayed ??= new DelayedDelivery(this, connection);
                                        await delayed.EnqueueAsync(envelope, now + (long)(wait.TotalSeconds * Stopwatch.Frequency)).ConfigureAwait(false);
                                        continue;
                                    }

                                    if (wait > TimeSpan.Zero)
                                    {
                                        await Task.Delay(wait, connection.Closed).ConfigureAwait(false);
                                    }
                                }

                                if (delayed is { IsEmpty: false })
                                {
                                    // Healed while envelopes still wait: queue behind them to keep order.
                                    await delayed.EnqueueAsync(envelope, 0).ConfigureAwait(false);
                                    continue;
                                }

                                Deliver(peer, envelope);
                                break;
                            case FrameType.Heartbeat:
                                break;
                            case FrameType.Close:
                                connection.Abort("the peer closed the connection");
                                return;
                            default:
                                throw new RemoteFormatException($"a {type} frame is out of place on this connection");
                        }
                    }
                }
                finally
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }

                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (RemoteFormatException ex)
        {
            CountFrameError(ex);
            Log.MalformedFrame(Logger, peer, connection.RemoteEndPoint, ex.Message);
            connection.Abort($"malformed frame: {ex.Message}");
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or IOException)
        {
        }
        finally
        {
            await input.CompleteAsync().ConfigureAwait(false);
            connection.Abort("the receive loop ended");
        }
    }

    /// <summary>Holds envelopes of a delayed link until their due time, in arrival order.</summary>
    private sealed class DelayedDelivery
    {
        private readonly Channel<(RemoteEnvelope Envelope, long Due)> _queue =
            Channel.CreateBounded<(RemoteEnvelope, long)>(new BoundedChannelOptions(65_536) { SingleReader = true, SingleWriter = true });

        private readonly RemoteTransport _transport;
        private readonly Connection _connection;
        private int _pending;

        public DelayedDelivery(RemoteTransport transport, Connection connection)
        {
            _transport = transport;
            _connection = connection;
            _ = Task.Run(DeliverAsync);
        }

        public bool IsEmpty => Volatile.Read(ref _pending) == 0;

        public ValueTask EnqueueAsync(RemoteEnvelope envelope, long due)
        {
            Interlocked.Increment(ref _pending);
            return _queue.Writer.WriteAsync((envelope, due), _connection.Closed);
        }

        private async Task DeliverAsync()
        {
            try
            {
                await foreach (var (envelope, due) in _queue.Reader.ReadAllAsync(_connection.Closed).ConfigureAwait(false))
                {
                    var now = Stopwatch.GetTimestamp();
                    if (due > now)
                    {
                        await Task.Delay(Stopwatch.GetElapsedTime(now, due), _connection.Closed).ConfigureAwait(false);
                    }

                    _transport.Deliver(_connection.Peer, envelope);
                    Interlocked.Decrement(ref _pending);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private static RemoteEnvelope DecodeEnvelope(in ReadOnlySequence<byte> payload)
    {
        if (payload.IsSingleSegment)
        {
            return RemoteEnvelope.Read(payload.FirstSpan);
        }

        var length = (int)payload.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            payload.CopyTo(rented);
            return RemoteEnvelope.Read(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void Deliver(PeerId peer, in RemoteEnvelope envelope)
    {
        Counters.Delivered();
        try
        {
            _handler.OnEnvelope(peer, envelope);
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(Logger, ex, peer, envelope.Recipient);
        }
    }
}
