using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using ActorChain.Actors;
using ActorChain.Remote;
using ActorChain.Remote.Actors;
using ActorChain.Remote.Serialization;
using Microsoft.Extensions.Logging;

namespace ActorChain.Cluster;

/// <summary>
/// <see cref="IClusterTransport"/> over <see cref="Remoting"/>: each cluster message is encoded by
/// <see cref="ClusterMessageCodec"/> into the payload of an envelope addressed to the peer's
/// <c>/system/cluster-transport</c> actor, which hands it to the listener. Riding the remoting
/// envelope keeps one connection, one handshake and one fault injector per peer pair, so a
/// blackholed link silences cluster heartbeats exactly as it silences actor messages.
/// </summary>
public sealed class RemoteClusterTransport : IClusterTransport
{
    /// <summary>Envelope type id of cluster frames; negative ids belong to the infrastructure, not to applications.</summary>
    public const int ClusterFrameTypeId = -2200;

    internal const string ReceiverName = "cluster-transport";

    private readonly Remoting _remoting;
    private readonly ILogger _log;
    private readonly string _senderPath;
    private readonly ConcurrentDictionary<Address, string> _nodeIds = new();
    private volatile IClusterTransportListener? _listener;
    private IActorRef? _receiver;
    private long _dropped;

    public RemoteClusterTransport(Remoting remoting)
    {
        ArgumentNullException.ThrowIfNull(remoting);
        _remoting = remoting;
        _log = remoting.System.LoggerFactory.CreateLogger<RemoteClusterTransport>();
        LocalAddress = remoting.System.Address;
        _senderPath = ReceiverPath(LocalAddress);
        var codec = new ClusterMessageCodec(SerializePayload, DeserializePayload);
        if (!remoting.Serializers.TryGetTypeId(typeof(ClusterFrame), out _))
        {
            remoting.Serializers.Register(ClusterFrameTypeId, new ClusterFrameSerializer(codec));
        }

        // Peers may connect before the cluster attaches (a seed is dialed as soon as it listens): learn their ids from now on.
        remoting.Transport.PeerConnected += OnPeerConnected;
        remoting.Transport.PeerDisconnected += OnPeerDisconnected;
        foreach (var peer in remoting.Transport.ConnectedPeers)
        {
            _nodeIds[ToAddress(peer.Address)] = peer.NodeId;
        }
    }

    public Address LocalAddress { get; }

    /// <summary>Cluster messages that could not be sent (encoding failed, the frame was too large, or the queue was full).</summary>
    public long DroppedMessages => Interlocked.Read(ref _dropped);

    /// <summary>The node id a peer proved in its handshake, for peers this node has been connected to.</summary>
    public string? NodeIdOf(Address address) => _nodeIds.TryGetValue(address, out var id) ? id : null;

    public static RemoteAddress ToRemoteAddress(Address address) =>
        address.HasGlobalScope
            ? new RemoteAddress(address.Host!, address.Port!.Value)
            : throw new ArgumentException($"{address} has no host:port.", nameof(address));

    public Address ToAddress(RemoteAddress address) => new(LocalAddress.System, address.Host, address.Port);

    public void Attach(IClusterTransportListener listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        if (Interlocked.CompareExchange(ref _listener, listener, null) is not null)
        {
            throw new InvalidOperationException($"{LocalAddress} already has a listener.");
        }

        _receiver = _remoting.System.SystemActorOf(Props.Create(() => new Receiver(this)), ReceiverName);
    }

    public void Detach()
    {
        _remoting.Transport.PeerConnected -= OnPeerConnected;
        _remoting.Transport.PeerDisconnected -= OnPeerDisconnected;
        _listener = null;
        if (Interlocked.Exchange(ref _receiver, null) is { } receiver)
        {
            _remoting.System.Stop(receiver);
        }
    }

    public void Send(Address recipient, ClusterProtocol.IClusterMessage message)
    {
        if (recipient == LocalAddress)
        {
            _listener?.OnMessage(LocalAddress, message);
            return;
        }

        try
        {
            var envelope = _remoting.Serializers.ToEnvelope(ReceiverPath(recipient), _senderPath, new ClusterFrame(message));
            if (!_remoting.Transport.Send(ToRemoteAddress(recipient), envelope))
            {
                Interlocked.Increment(ref _dropped);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or ObjectDisposedException or FormatException)
        {
            // The cluster protocol retries and gossips; a message that cannot go is dropped, never thrown back into the daemon.
            Interlocked.Increment(ref _dropped);
            ClusterTransportLog.SendFailed(_log, message.GetType().Name, recipient, ex.Message);
        }
    }

    internal void Deliver(Address sender, ClusterProtocol.IClusterMessage message) => _listener?.OnMessage(sender, message);

    private static string ReceiverPath(Address address) => $"{address}/system/{ReceiverName}";

    private void OnPeerConnected(PeerId peer)
    {
        var address = ToAddress(peer.Address);
        _nodeIds[address] = peer.NodeId;
        _listener?.OnPeerConnected(address);
    }

    private void OnPeerDisconnected(PeerId peer, string reason) => _listener?.OnPeerDisconnected(ToAddress(peer.Address));

    // A broadcast payload is [i32 type id][u16 serializer id][bytes], the registry's own identity of the message.
    private byte[] SerializePayload(object message)
    {
        var envelope = _remoting.Serializers.ToEnvelope("/", string.Empty, message);
        var bytes = new byte[6 + envelope.Payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, envelope.TypeId);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), envelope.SerializerId);
        envelope.Payload.Span.CopyTo(bytes.AsSpan(6));
        return bytes;
    }

    private object DeserializePayload(byte[] bytes)
    {
        if (bytes.Length < 6)
        {
            throw new FormatException("A broadcast payload is shorter than its 6-byte header.");
        }

        var typeId = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        var serializerId = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4));
        return _remoting.Serializers.FromEnvelope(new RemoteEnvelope("/", string.Empty, serializerId, typeId, bytes.AsMemory(6)));
    }

    /// <summary>A cluster message in transit; only the serializer registry sees this wrapper.</summary>
    internal sealed record ClusterFrame(ClusterProtocol.IClusterMessage Message);

    private sealed class ClusterFrameSerializer(ClusterMessageCodec codec) : IMessageSerializer<ClusterFrame>
    {
        public ushort SerializerId => SerializerIds.Binary;

        public void Write(ClusterFrame message, IBufferWriter<byte> output) => output.Write(codec.Encode(message.Message));

        public ClusterFrame Read(ReadOnlySpan<byte> payload) => new(codec.Decode(payload));
    }

    private sealed class Receiver : ReceiveActor
    {
        public Receiver(RemoteClusterTransport transport) =>
            Receive<ClusterFrame>(frame =>
            {
                if (Sender is { } sender && sender.Path.Address.HasGlobalScope)
                {
                    transport.Deliver(sender.Path.Address, frame.Message);
                }
            });
    }
}
