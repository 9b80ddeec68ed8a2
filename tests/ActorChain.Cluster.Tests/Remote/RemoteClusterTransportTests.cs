using System.Text;
using ActorChain.Actors;
using ActorChain.Remote.Actors;
using ActorChain.Remote.Transport;
using ActorChain.TestKit;
using static ActorChain.Cluster.ClusterProtocol;

namespace ActorChain.Cluster.Tests;

public sealed class RemoteClusterTransportTests : ClusterTransportContract, IAsyncLifetime
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("remote-cluster-transport-tests");
    private readonly List<Remoting> _remotings = [];
    private int _nextNode;

    [Fact]
    public void PeerConnection_IsReportedToTheListener_AsTheClusterAddress_WithTheHandshakeNodeId()
    {
        var (a, b) = CreatePair();
        var atA = new RecordingListener();
        a.Attach(atA);
        b.Attach(new RecordingListener());

        a.Send(b.LocalAddress, new Heartbeat(new UniqueAddress(a.LocalAddress, 1), 1));

        new TestProbe(_remotings[0].System).AwaitCondition(
            () => atA.LinkChanges.Contains((b.LocalAddress, true)), TimeSpan.FromSeconds(5), message: "A never saw its link to B come up");
        Assert.Equal("node-1", ((RemoteClusterTransport)a).NodeIdOf(b.LocalAddress));
    }

    [Fact]
    public void Deliver_CarriesARegisteredPayload()
    {
        var (a, b) = CreatePair();
        var inbox = new RecordingListener();
        a.Attach(new RecordingListener());
        b.Attach(inbox);
        var from = new UniqueAddress(a.LocalAddress, 1);

        a.Send(b.LocalAddress, new Deliver(from, "/user/x", new RemotingTestMessages.Text("hello")));

        var deliver = Assert.IsType<Deliver>(inbox.Next(TimeSpan.FromSeconds(5)).Message);
        Assert.Equal(("/user/x", new RemotingTestMessages.Text("hello")), (deliver.Path, deliver.Message));
    }

    [Fact]
    public void WatchingARemoteActor_YieldsTerminated_WhenItsNodeIsRemoved()
    {
        var settings = new ClusterSettings
        {
            ClusterId = "watch",
            SeedNodeTimeout = TimeSpan.FromMilliseconds(300),
            GossipInterval = TimeSpan.FromMilliseconds(50),
            HeartbeatInterval = TimeSpan.FromMilliseconds(100),
            AcceptableHeartbeatPause = TimeSpan.FromMilliseconds(800),
        };
        var a = NewRemoting("watch");
        var b = NewRemoting("watch");
        var clusterA = RemoteCluster.Start(a, settings, out _);
        var clusterB = RemoteCluster.Start(b, settings, out _);
        clusterA.Join(clusterA.SelfAddress);
        clusterB.Join(clusterA.SelfAddress);
        var probe = new TestProbe(a.System);
        probe.AwaitCondition(() => clusterA.State.UpMembers.Count() == 2, TimeSpan.FromSeconds(10), message: "B never became Up at A");
        b.System.ActorOf(Props.Create(() => new Idle()), "watchee");
        var remoteWatchee = a.Resolve($"{b.System.Address}/user/watchee");
        probe.Watch(remoteWatchee);

        clusterA.Down(clusterB.SelfAddress);

        var terminated = probe.ExpectTerminated(remoteWatchee, TimeSpan.FromSeconds(10));
        Assert.True(terminated.AddressTerminated);
    }

    protected override (IClusterTransport A, IClusterTransport B) CreatePair()
    {
        var a = NewRemoting("contract");
        var b = NewRemoting("contract");
        return (new RemoteClusterTransport(a), new RemoteClusterTransport(b));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var remoting in _remotings)
        {
            await remoting.DisposeAsync();
        }
    }

    private Remoting NewRemoting(string system)
    {
        var options = new RemoteTransportOptions
        {
            NodeId = $"node-{_nextNode++}",
            ClusterId = system,
            SharedSecret = Secret,
            Hostname = "127.0.0.1",
            Port = 0,
        };
        var remoting = Remoting.Create(system, options);
        RemotingTestMessages.Register(remoting);
        _remotings.Add(remoting);
        return remoting;
    }

    private sealed class Idle : ReceiveActor
    {
        public Idle() => ReceiveAny(_ => { });
    }
}
