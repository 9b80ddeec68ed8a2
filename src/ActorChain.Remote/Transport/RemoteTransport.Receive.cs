using System.Buffers;
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

                                    var wait = fault.WaitBefore((int)payload.Length);
                                    if (wait > TimeSpan.Zero)
                                    {
                                        await Task.Delay(wait, connection.Closed).ConfigureAwait(false);
                                    }
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
