using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using ActorChain.Remote.Framing;

namespace ActorChain.Remote.Transport;

/// <summary>
/// One TCP connection as a duplex pipe, Kestrel-style: a fill loop copies the stream into a bounded
/// input pipe, a send loop copies a bounded output pipe into the stream. Everything above works on
/// the pipes, so TLS (an SslStream as the stream) changes nothing else.
/// </summary>
internal sealed class Connection
{
    private const int MinimumReadSize = 8 * 1024;
    private const int OutputPauseThreshold = 1024 * 1024;

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly RemoteCounters _counters;
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource<bool> _selection = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _fillTask = Task.CompletedTask;
    private Task _sendTask = Task.CompletedTask;
    private int _aborted;
    private string? _gracefulReason;
    private long _lastReceived = Stopwatch.GetTimestamp();

    // The stream is the socket's NetworkStream, or with TLS an authenticated SslStream over it.
    public Connection(Socket socket, Stream stream, bool dialedByUs, int maxFrameSize, RemoteCounters counters)
    {
        _socket = socket;
        _socket.NoDelay = true;
        _stream = stream;
        _counters = counters;
        DialedByUs = dialedByUs;
        RemoteEndPoint = socket.RemoteEndPoint;
        LocalEndPoint = socket.LocalEndPoint;

        // Readers resume inline on the thread that flushed: data read from the socket is parsed on
        // that thread, and flushed frames go to the socket from the writer's thread, saving a
        // thread-pool hop each way (loopback round trip ~58 µs → ~26 µs in a dry run).
        // A whole frame must fit below the pause threshold, or a reader waiting for the end of a
        // large frame and a writer paused until the reader consumes would wait on each other.
        var inputPause = (long)maxFrameSize + FrameCodec.HeaderSize + (64 * 1024);
        _input = new Pipe(new PipeOptions(
            pauseWriterThreshold: inputPause,
            resumeWriterThreshold: inputPause / 2,
            minimumSegmentSize: MinimumReadSize,
            readerScheduler: PipeScheduler.Inline,
            useSynchronizationContext: false));
        _output = new Pipe(new PipeOptions(
            pauseWriterThreshold: OutputPauseThreshold,
            resumeWriterThreshold: OutputPauseThreshold / 2,
            minimumSegmentSize: 16 * 1024,
            readerScheduler: PipeScheduler.Inline,
            useSynchronizationContext: false));
    }

    public bool DialedByUs { get; }

    public EndPoint? RemoteEndPoint { get; }

    public EndPoint? LocalEndPoint { get; }

    /// <summary>Set once the handshake proved who is on the other end.</summary>
    public PeerId Peer { get; set; }

    public ulong RemoteIncarnation { get; set; }

    /// <summary>The peer entry that owns this connection once authenticated.</summary>
    public Peer? Owner { get; set; }

    /// <summary>True on the node with the lower node id, which picks the pair's connection.</summary>
    public bool IsSelector { get; set; }

    /// <summary>True once this is the pair's chosen connection; false if it was closed before.</summary>
    public Task<bool> Selection => _selection.Task;

    public PipeReader Input => _input.Reader;

    public PipeWriter Output => _output.Writer;

    /// <summary>Cancelled when the connection is aborted, for whatever reason.</summary>
    public CancellationToken Closed => _closing.Token;

    public bool IsClosed => Volatile.Read(ref _aborted) != 0;

    public string? CloseReason { get; private set; }

    public TimeSpan SinceLastReceived => Stopwatch.GetElapsedTime(Volatile.Read(ref _lastReceived));

    /// <summary>Called once, synchronously, inside <see cref="Abort"/> before the token fires.</summary>
    public Action<Connection>? OnAborted { get; set; }

    public bool MarkSelected() => !IsClosed && _selection.TrySetResult(true);

    public void Start()
    {
        _fillTask = FillAsync();
        _sendTask = SendAsync();
    }

    public void Abort(string reason)
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }

        CloseReason = reason;
        _selection.TrySetResult(false);
        OnAborted?.Invoke(this);
        _closing.Cancel();
        _output.Writer.CancelPendingFlush();
        _input.Reader.CancelPendingRead();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _stream.Dispose();
    }

    /// <summary>
    /// Lets the send loop put everything written so far on the wire, sends FIN, and waits (bounded)
    /// for the peer to close its side before closing ours: closing with unread data would send a
    /// reset, which can make the peer's kernel drop our last frames before its application reads them.
    /// Only call when no writer is active on <see cref="Output"/>.
    /// </summary>
    public async Task CloseGracefullyAsync(TimeSpan timeout, string reason)
    {
        _gracefulReason = reason;
        await _output.Writer.CompleteAsync().ConfigureAwait(false);
        try
        {
            await _sendTask.WaitAsync(timeout).ConfigureAwait(false);
            if (_stream is SslStream ssl)
            {
                // close_notify first, so the peer reads a clean TLS end rather than a truncated stream.
                await ssl.ShutdownAsync().WaitAsync(timeout).ConfigureAwait(false);
            }

            _socket.Shutdown(SocketShutdown.Send);
            await _fillTask.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or SocketException or ObjectDisposedException or IOException or InvalidOperationException)
        {
        }

        Abort(reason);
        await Completion.ConfigureAwait(false);
    }

    public Task Completion => Task.WhenAll(_fillTask, _sendTask);

    /// <summary>Reads one whole frame as a copy; only for the handshake, whose frames are tiny.</summary>
    public async ValueTask<(FrameType Type, byte[] Payload)> ReadFrameAsync(int maxFrameSize, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _input.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (FrameCodec.TryReadFrame(ref buffer, maxFrameSize, out var type, out var payload))
            {
                var bytes = payload.ToArray();
                _input.Reader.AdvanceTo(buffer.Start);
                return (type, bytes);
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                throw new IOException("The connection closed.");
            }

            _input.Reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    public async ValueTask<bool> WriteFrameAsync(FrameType type, ReadOnlyMemory<byte> payload)
    {
        FrameCodec.WriteFrame(_output.Writer, type, payload.Span);
        var result = await _output.Writer.FlushAsync().ConfigureAwait(false);
        if (result.IsCompleted || result.IsCanceled)
        {
            return false;
        }

        _counters.AddFramesSent(1);
        return true;
    }

    private async Task FillAsync()
    {
        await Task.Yield();
        var writer = _input.Writer;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(MinimumReadSize);
                var read = await _stream.ReadAsync(memory, _closing.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                writer.Advance(read);
                _counters.AddBytesReceived(read);
                Volatile.Write(ref _lastReceived, Stopwatch.GetTimestamp());
                var flush = await writer.FlushAsync().ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            await writer.CompleteAsync().ConfigureAwait(false);
            Abort(_gracefulReason ?? "the connection was closed by the peer or the network");
        }
    }

    private async Task SendAsync()
    {
        await Task.Yield();
        var reader = _output.Reader;
        var completed = false;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                if (result.IsCanceled)
                {
                    break;
                }

                foreach (var segment in buffer)
                {
                    await _stream.WriteAsync(segment, _closing.Token).ConfigureAwait(false);
                }

                _counters.AddBytesSent(buffer.Length);
                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    completed = true;
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);

            // A completed output is a graceful close: whoever completed it aborts when ready.
            if (!completed)
            {
                Abort("sending failed");
            }
        }
    }
}
