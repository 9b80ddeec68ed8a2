using ActorChain.Remote.Handshake;

namespace ActorChain.Remote.Transport;

/// <summary>Monotonic counters of one transport, for /metrics and for tests.</summary>
public sealed class RemoteCounters
{
    private readonly long[] _refused = new long[Enum.GetValues<HandshakeRefusal>().Length];
    private long _framesSent;
    private long _framesReceived;
    private long _bytesSent;
    private long _bytesReceived;
    private long _envelopesDelivered;
    private long _droppedByFaultInjection;
    private long _lostOnBrokenConnection;
    private long _droppedQueueFull;
    private long _malformedFrames;
    private long _oversizedFrames;
    private long _connectionsEstablished;
    private long _tlsRefused;

    public long FramesSent => Volatile.Read(ref _framesSent);

    public long FramesReceived => Volatile.Read(ref _framesReceived);

    public long BytesSent => Volatile.Read(ref _bytesSent);

    public long BytesReceived => Volatile.Read(ref _bytesReceived);

    /// <summary>Envelopes handed to the inbound handler.</summary>
    public long EnvelopesDelivered => Volatile.Read(ref _envelopesDelivered);

    /// <summary>Envelopes a Blackhole or Drop fault discarded, on either side.</summary>
    public long DroppedByFaultInjection => Volatile.Read(ref _droppedByFaultInjection);

    /// <summary>
    /// Envelopes taken from a peer's queue that a broken connection did not take, plus those still
    /// queued when the peer was disconnected on purpose. Bytes already in kernel buffers when a
    /// connection breaks are unknowable (at-most-once) and not counted.
    /// </summary>
    public long LostOnBrokenConnection => Volatile.Read(ref _lostOnBrokenConnection);

    /// <summary>Sends refused because the peer's outbound queue was full.</summary>
    public long DroppedQueueFull => Volatile.Read(ref _droppedQueueFull);

    /// <summary>Frames with an unknown type, zero length, or a payload that does not decode.</summary>
    public long MalformedFrames => Volatile.Read(ref _malformedFrames);

    /// <summary>Frames refused because their header announced more than max-frame-size.</summary>
    public long OversizedFramesRefused => Volatile.Read(ref _oversizedFrames);

    /// <summary>Connections that finished the handshake (including duplicates later closed).</summary>
    public long ConnectionsEstablished => Volatile.Read(ref _connectionsEstablished);

    /// <summary>Connections refused in the TLS handshake (untrusted or missing certificate, not TLS), before any frame was read.</summary>
    public long TlsRefused => Volatile.Read(ref _tlsRefused);

    public long RefusedHandshakes(HandshakeRefusal reason) => Volatile.Read(ref _refused[(int)reason]);

    public long RefusedHandshakesTotal
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _refused.Length; i++)
            {
                total += Volatile.Read(ref _refused[i]);
            }

            return total;
        }
    }

    internal void AddFramesSent(int frames) => Interlocked.Add(ref _framesSent, frames);

    internal void AddBytesSent(long bytes) => Interlocked.Add(ref _bytesSent, bytes);

    internal void FrameReceived() => Interlocked.Increment(ref _framesReceived);

    internal void AddBytesReceived(long bytes) => Interlocked.Add(ref _bytesReceived, bytes);

    internal void Delivered() => Interlocked.Increment(ref _envelopesDelivered);

    internal void DroppedByFault() => Interlocked.Increment(ref _droppedByFaultInjection);

    internal void Lost(long count) => Interlocked.Add(ref _lostOnBrokenConnection, count);

    internal long QueueFull() => Interlocked.Increment(ref _droppedQueueFull);

    internal void Malformed() => Interlocked.Increment(ref _malformedFrames);

    internal void Oversized() => Interlocked.Increment(ref _oversizedFrames);

    internal void Established() => Interlocked.Increment(ref _connectionsEstablished);

    internal void RefusedTls() => Interlocked.Increment(ref _tlsRefused);

    internal void Refused(HandshakeRefusal reason) => Interlocked.Increment(ref _refused[(int)reason]);
}
