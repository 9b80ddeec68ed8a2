using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using ActorChain.Remote.Faults;
using ActorChain.Remote.Tls;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorChain.Remote.Transport;

/// <summary>
/// The node's TCP endpoint: listens, dials, authenticates peers, keeps one connection per peer and
/// moves <see cref="RemoteEnvelope"/>s over it. Delivery is at-most-once and ordered per
/// sender–receiver pair, like Akka.Remote; what a broken connection loses is counted, not resent.
/// </summary>
public sealed partial class RemoteTransport : IAsyncDisposable
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    private readonly IInboundHandler _handler;
    private readonly ConcurrentDictionary<RemoteAddress, Peer> _peers = new();
    private readonly ConcurrentDictionary<Connection, byte> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly FaultInjector _faults = new();
    private readonly TlsCredentials? _tls;
    private readonly ulong _incarnation = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
    private Socket? _listener;
    private Task _acceptTask = Task.CompletedTask;
    private Task _idleTask = Task.CompletedTask;
    private int _disposed;

    /// <exception cref="TlsConfigurationException">TLS is on and a file it names is missing or unusable.</exception>
    public RemoteTransport(RemoteTransportOptions options, IInboundHandler handler, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        options.Validate();
        Options = options;
        _handler = handler;
        Logger = logger ?? NullLogger.Instance;
        LocalAddress = new RemoteAddress(options.Hostname, options.Port);
        _tls = options.Tls is { } tls ? TlsCredentials.Load(tls) : null;
    }

    public event Action<PeerId>? PeerConnected;

    /// <summary>Raised with the reason when the current connection to a peer ends.</summary>
    public event Action<PeerId, string>? PeerDisconnected;

    public string NodeId => Options.NodeId;

    /// <summary>The advertised address; after <see cref="Start"/> it carries the bound port.</summary>
    public RemoteAddress LocalAddress { get; private set; }

    public RemoteCounters Counters { get; } = new();

    public IFaultInjector Faults => _faults;

    /// <summary>Peers with a live, authenticated connection right now.</summary>
    public IReadOnlyList<PeerId> ConnectedPeers =>
        _peers.Values.Select(static p => p.Current).Where(static c => c is { IsClosed: false }).Select(static c => c!.Peer).ToList();

    internal RemoteTransportOptions Options { get; }

    internal ILogger Logger { get; }

    internal FaultInjector FaultInjector => _faults;

    internal bool IsStopping => _stopping.IsCancellationRequested;

    internal CancellationToken Stopping => _stopping.Token;

    /// <summary>Connections that are open (handshaking, current or duplicate not yet closed).</summary>
    internal int OpenConnectionCount => _connections.Keys.Count(static c => !c.IsClosed);

    /// <summary>Binds the listener and starts accepting peers.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_listener is not null)
        {
            throw new InvalidOperationException("The transport is already started.");
        }

        var bindAddress = IPAddress.TryParse(Options.Hostname, out var ip) ? ip : IPAddress.Any;
        var listener = new Socket(bindAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // A restarted node rebinds its port while connections of its previous run sit in TIME_WAIT.
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(new IPEndPoint(bindAddress, Options.Port));
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        LocalAddress = new RemoteAddress(Options.Hostname, ((IPEndPoint)listener.LocalEndPoint!).Port);
        Log.Listening(Logger, NodeId, LocalAddress);
        if (_tls is not null)
        {
            Log.TlsEnabled(Logger, NodeId, _tls.Certificate.Subject, _tls.Certificate.NotAfter.ToUniversalTime());
        }

        _acceptTask = AcceptLoopAsync(listener);
        _idleTask = IdleCheckLoopAsync();
    }

    /// <summary>
    /// Queues <paramref name="envelope"/> for the node at <paramref name="to"/>, dialing it if needed.
    /// Returns false (and counts it) when that peer's queue is full. Throws when the envelope is
    /// invalid or larger than max-frame-size, so a bad message fails at its sender.
    /// </summary>
    public bool Send(RemoteAddress to, in RemoteEnvelope envelope)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var size = envelope.Size;
        if (size + 1 > Options.MaxFrameSize)
        {
            throw new ArgumentException($"The envelope is {size} bytes; max-frame-size is {Options.MaxFrameSize}.", nameof(envelope));
        }

        var peer = GetPeer(NotSelf(to));
        if (peer.Enqueue(new OutboundEnvelope(envelope, size, Stopwatch.GetTimestamp())))
        {
            return true;
        }

        // A full queue drops on every send until it drains: log the first drop and then every 1000th.
        if (Counters.QueueFull() % 1000 == 1)
        {
            Log.QueueFull(Logger, to, Counters.DroppedQueueFull);
        }

        return false;
    }

    /// <summary>Marks the node at <paramref name="address"/> wanted: it is dialed now and redialed whenever the connection breaks.</summary>
    public void Connect(RemoteAddress address)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        GetPeer(NotSelf(address)).Want();
    }

    /// <summary>Forgets the node at <paramref name="address"/>: stops redialing and closes the connection after draining its queue.</summary>
    public async Task DisconnectAsync(RemoteAddress address)
    {
        if (_peers.TryRemove(address, out var peer))
        {
            await peer.StopAsync(DrainTimeout).ConfigureAwait(false);
        }
    }

    public bool IsConnected(RemoteAddress address) =>
        _peers.TryGetValue(address, out var peer) && peer.Current is { IsClosed: false };

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _listener?.Dispose();
        await Task.WhenAll(_peers.Values.Select(p => p.StopAsync(DrainTimeout))).ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var connection in _connections.Keys)
        {
            connection.Abort("the transport is stopping");
        }

        try
        {
            await Task.WhenAll(_acceptTask, _idleTask).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    internal Connection? GetConnection(RemoteAddress address) =>
        _peers.TryGetValue(address, out var peer) ? peer.Current : null;

    internal void RaiseConnected(Connection connection)
    {
        Log.PeerConnected(Logger, connection.Peer, connection.DialedByUs ? "outbound" : "inbound", connection.RemoteEndPoint);
        try
        {
            PeerConnected?.Invoke(connection.Peer);
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(Logger, ex, connection.Peer, "(peer connected event)");
        }
    }

    internal void RaiseDisconnected(PeerId peer, string reason)
    {
        Log.PeerDisconnected(Logger, peer, reason);
        try
        {
            PeerDisconnected?.Invoke(peer, reason);
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(Logger, ex, peer, "(peer disconnected event)");
        }
    }

    // The handshake refuses a node talking to itself, so a queue to our own address would never drain.
    private RemoteAddress NotSelf(RemoteAddress address) =>
        address == LocalAddress && _listener is not null
            ? throw new ArgumentException($"{address} is this node's own address; deliver local messages locally.", nameof(address))
            : address;

    private Peer GetPeer(RemoteAddress address)
    {
        if (_peers.TryGetValue(address, out var peer))
        {
            return peer;
        }

        lock (_peers)
        {
            return _peers.GetOrAdd(address, a => new Peer(this, a));
        }
    }

    /// <summary>
    /// With TLS on, runs the TLS handshake (bounded by handshake-timeout) before any frame is read or
    /// written; a refused peer is logged and counted and its socket closed, so none of its bytes reach
    /// the frame reader. Returns null then.
    /// </summary>
    private async Task<Stream?> SecureAsync(Socket socket, bool dialedByUs, string targetHost)
    {
        var network = new NetworkStream(socket, ownsSocket: true);
        if (_tls is null)
        {
            return network;
        }

        EndPoint? endPoint = null;
        SslStream? ssl;
        string? refusal;
        try
        {
            endPoint = socket.RemoteEndPoint;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(Options.HandshakeTimeout);
            (ssl, refusal) = await _tls.AuthenticateAsync(network, asClient: dialedByUs, targetHost, timeout.Token).ConfigureAwait(false);
        }
        catch
        {
            await network.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        if (ssl is not null)
        {
            return ssl;
        }

        if (!_stopping.IsCancellationRequested)
        {
            Log.TlsRefused(Logger, dialedByUs ? "to" : "from", endPoint, refusal ?? "TLS handshake failed");
            Counters.RefusedTls();
        }

        socket.Dispose();
        return null;
    }

    private Connection Track(Socket socket, Stream stream, bool dialedByUs)
    {
        var connection = new Connection(socket, stream, dialedByUs, Options.MaxFrameSize, Counters);
        _connections[connection] = 0;
        connection.Start();
        _ = connection.Completion.ContinueWith(
            (_, state) => ((ConcurrentDictionary<Connection, byte>)state!).TryRemove(connection, out byte _),
            _connections,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return connection;
    }

    private async Task IdleCheckLoopAsync()
    {
        using var timer = new PeriodicTimer(Options.HeartbeatInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                foreach (var peer in _peers.Values)
                {
                    if (peer.Current is { IsClosed: false } connection && connection.SinceLastReceived > Options.IdleTimeout)
                    {
                        Log.IdleTimeout(Logger, connection.Peer, Options.IdleTimeout);
                        connection.Abort("idle timeout");
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
