using System.Runtime.CompilerServices;
using ActorChain.Actors;

namespace ActorChain.Cluster;

/// <summary>
/// Akka.Cluster's extension for one actor system: <c>Cluster.Start(system, transport, settings)</c>
/// once, then <c>Cluster.Get(system)</c>. Commands are asynchronous (they go to the cluster
/// daemon); <see cref="State"/> and <see cref="SelfMember"/> are the daemon's latest snapshot.
/// </summary>
public sealed class Cluster
{
    private static readonly ConditionalWeakTable<ActorSystem, Cluster> Clusters = [];
    private static readonly Lock StartGate = new();
    private readonly IActorRef _daemon;
    private readonly TaskCompletionSource _whenShutDown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile ClusterEvent.CurrentClusterState _state = ClusterEvent.CurrentClusterState.Empty;
    private volatile Member _selfMember;

    private Cluster(ActorSystem system, IClusterTransport transport, ClusterSettings settings, Func<long> clockMs)
    {
        System = system;
        Transport = transport;
        Settings = settings;
        SelfUniqueAddress = new UniqueAddress(transport.LocalAddress, Random.Shared.NextInt64(1, long.MaxValue));
        _selfMember = new Member(SelfUniqueAddress, MemberStatus.Removed);
        Broadcast = new ClusterBroadcast(this);
        _daemon = system.SystemActorOf(Props.Create(() => new ClusterDaemon(this, clockMs)), "cluster");
    }

    public ActorSystem System { get; }

    public ClusterSettings Settings { get; }

    public UniqueAddress SelfUniqueAddress { get; }

    public Address SelfAddress => SelfUniqueAddress.Address;

    /// <summary>This node as the latest gossip has it; status Removed before the node has joined (as in Akka).</summary>
    public Member SelfMember => _selfMember;

    public ClusterEvent.CurrentClusterState State => _state;

    /// <summary>True once this node is Down or Removed: it no longer gossips, heartbeats or answers joins.</summary>
    public bool IsTerminated => _whenShutDown.Task.IsCompleted;

    /// <summary>Completes when this node stops taking part in the cluster (left and removed, or downed).</summary>
    public Task WhenTerminated => _whenShutDown.Task;

    public ClusterBroadcast Broadcast { get; }

    internal IClusterTransport Transport { get; }

    public static Cluster Start(ActorSystem system, IClusterTransport transport, ClusterSettings? settings = null) =>
        Start(system, transport, settings, static () => Environment.TickCount64);

    public static Cluster Get(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return Clusters.TryGetValue(system, out var cluster)
            ? cluster
            : throw new InvalidOperationException($"No cluster was started for {system}; call Cluster.Start first.");
    }

    /// <summary>
    /// Sends <see cref="ClusterEvent.CurrentClusterState"/> to <paramref name="subscriber"/> at once, then every
    /// event assignable to one of <paramref name="eventTypes"/> (all <see cref="ClusterEvent.IClusterDomainEvent"/>s when none are given), in order.
    /// </summary>
    public void Subscribe(IActorRef subscriber, params Type[] eventTypes)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        _daemon.Tell(new InternalCommand.Subscribe(subscriber, [.. eventTypes]), null);
    }

    public void Unsubscribe(IActorRef subscriber) => _daemon.Tell(new InternalCommand.Unsubscribe(subscriber), null);

    /// <summary>Joins the cluster that <paramref name="address"/> belongs to; joining the own address forms a new cluster.</summary>
    public void Join(Address address) => JoinSeedNodes([address]);

    /// <summary>Akka's seed-node join; does nothing if this node already is (or was) a member.</summary>
    public void JoinSeedNodes(IEnumerable<Address> seeds) =>
        _daemon.Tell(new InternalCommand.JoinSeedNodes([.. seeds]), null);

    /// <summary>Graceful leave of the member at <paramref name="address"/> (any member may ask for any member).</summary>
    public void Leave(Address address) => _daemon.Tell(new InternalCommand.Leave(address), null);

    /// <summary>Marks the member at <paramref name="address"/> Down; it is then removed once the rest converge.</summary>
    public void Down(Address address) => _daemon.Tell(new InternalCommand.Down(address), null);

    /// <summary>Runs <paramref name="callback"/> (on the cluster daemon) when this node is Up, or at once if it already was.</summary>
    public void RegisterOnMemberUp(Action callback) => _daemon.Tell(new InternalCommand.RegisterOnMemberUp(callback), null);

    /// <summary>Runs <paramref name="callback"/> when this node has left the cluster (Removed or Down).</summary>
    public void RegisterOnMemberRemoved(Action callback) => _daemon.Tell(new InternalCommand.RegisterOnMemberRemoved(callback), null);

    internal static Cluster Start(ActorSystem system, IClusterTransport transport, ClusterSettings? settings, Func<long> clockMs)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(transport);
        settings ??= new ClusterSettings();
        settings.Validate();
        if (transport.LocalAddress != system.Address)
        {
            throw new ArgumentException($"The transport listens as {transport.LocalAddress} but the actor system is {system.Address}.", nameof(transport));
        }

        lock (StartGate)
        {
            if (Clusters.TryGetValue(system, out _))
            {
                throw new InvalidOperationException($"A cluster is already running for {system}.");
            }

            var cluster = new Cluster(system, transport, settings, clockMs);
            Clusters.Add(system, cluster);
            return cluster;
        }
    }

    internal void Publish(ClusterEvent.CurrentClusterState state, Member? self)
    {
        _state = state;
        if (self is not null)
        {
            _selfMember = self;
        }
    }

    internal void MarkShutDown() => _whenShutDown.TrySetResult();
}
