using ActorChain.Actors;

namespace ActorChain.Cluster;

/// <summary>
/// An in-process network of <see cref="InMemoryClusterTransport"/>s for multi-node tests: links
/// can be blackholed and healed per direction pair, and given a drop rate. Deterministic for a
/// given seed and send order.
/// </summary>
public sealed class InMemoryClusterNetwork(int seed = 17)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Address, InMemoryClusterTransport> _nodes = [];
    private readonly HashSet<(Address From, Address To)> _blackholed = [];
    private readonly Dictionary<(Address From, Address To), double> _dropRates = [];
    private readonly Random _random = new(seed);
    private long _delivered;
    private long _dropped;

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Dropped => Interlocked.Read(ref _dropped);

    public InMemoryClusterTransport CreateTransport(Address address)
    {
        if (!address.HasGlobalScope)
        {
            throw new ArgumentException($"A cluster node needs a host:port address; {address} has none.", nameof(address));
        }

        var transport = new InMemoryClusterTransport(this, address);
        lock (_gate)
        {
            if (!_nodes.TryAdd(address, transport))
            {
                throw new InvalidOperationException($"{address} is already on the network.");
            }
        }

        return transport;
    }

    /// <summary>Drops everything between <paramref name="a"/> and <paramref name="b"/>, both ways.</summary>
    public void Blackhole(Address a, Address b)
    {
        lock (_gate)
        {
            _blackholed.Add((a, b));
            _blackholed.Add((b, a));
        }

        Notify(a, b, connected: false);
    }

    public void Heal(Address a, Address b)
    {
        lock (_gate)
        {
            _blackholed.Remove((a, b));
            _blackholed.Remove((b, a));
        }

        Notify(a, b, connected: true);
    }

    /// <summary>Blackholes every link between the two sides.</summary>
    public void Partition(IEnumerable<Address> side1, IEnumerable<Address> side2)
    {
        var right = side2.ToList();
        foreach (var a in side1)
        {
            foreach (var b in right)
            {
                Blackhole(a, b);
            }
        }
    }

    public void HealAll()
    {
        List<(Address From, Address To)> links;
        lock (_gate)
        {
            links = [.. _blackholed];
            _blackholed.Clear();
        }

        foreach (var (from, to) in links)
        {
            Notify(from, to, connected: true);
        }
    }

    /// <summary>Each message from <paramref name="from"/> to <paramref name="to"/> is lost with probability <paramref name="rate"/>.</summary>
    public void SetDropRate(Address from, Address to, double rate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rate, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rate, 1.0);
        lock (_gate)
        {
            _dropRates[(from, to)] = rate;
        }
    }

    internal void Send(Address from, Address to, ClusterProtocol.IClusterMessage message)
    {
        InMemoryClusterTransport? target;
        lock (_gate)
        {
            if (!_nodes.TryGetValue(to, out target) || _blackholed.Contains((from, to)) ||
                (_dropRates.TryGetValue((from, to), out var rate) && _random.NextDouble() < rate))
            {
                target = null;
            }
        }

        if (target?.Deliver(from, message) == true)
        {
            Interlocked.Increment(ref _delivered);
        }
        else
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    internal void Leave(InMemoryClusterTransport transport)
    {
        List<InMemoryClusterTransport> others;
        lock (_gate)
        {
            _nodes.Remove(transport.LocalAddress);
            others = [.. _nodes.Values];
        }

        foreach (var other in others)
        {
            other.Listener?.OnPeerDisconnected(transport.LocalAddress);
        }
    }

    private void Notify(Address a, Address b, bool connected)
    {
        InMemoryClusterTransport? left;
        InMemoryClusterTransport? right;
        lock (_gate)
        {
            _nodes.TryGetValue(a, out left);
            _nodes.TryGetValue(b, out right);
        }

        if (connected)
        {
            left?.Listener?.OnPeerConnected(b);
            right?.Listener?.OnPeerConnected(a);
        }
        else
        {
            left?.Listener?.OnPeerDisconnected(b);
            right?.Listener?.OnPeerDisconnected(a);
        }
    }
}

public sealed class InMemoryClusterTransport : IClusterTransport
{
    private readonly InMemoryClusterNetwork _network;
    private volatile IClusterTransportListener? _listener;

    internal InMemoryClusterTransport(InMemoryClusterNetwork network, Address localAddress)
    {
        _network = network;
        LocalAddress = localAddress;
    }

    public Address LocalAddress { get; }

    internal IClusterTransportListener? Listener => _listener;

    public void Attach(IClusterTransportListener listener) =>
        _listener = _listener is null ? listener : throw new InvalidOperationException($"{LocalAddress} already has a listener.");

    public void Detach()
    {
        _listener = null;
        _network.Leave(this);
    }

    public void Send(Address recipient, ClusterProtocol.IClusterMessage message) => _network.Send(LocalAddress, recipient, message);

    internal bool Deliver(Address sender, ClusterProtocol.IClusterMessage message)
    {
        var listener = _listener;
        listener?.OnMessage(sender, message);
        return listener is not null;
    }
}
