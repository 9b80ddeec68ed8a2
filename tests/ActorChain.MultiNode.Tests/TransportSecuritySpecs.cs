using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using ActorChain.Tests.Harness;
using Xunit.Abstractions;

namespace ActorChain.MultiNode.Tests;

/// <summary>Hostile or misconfigured peers on a node's peer port: refused, while the node keeps serving.</summary>
public sealed class TransportSecuritySpecs(ITestOutputHelper output) : IAsyncLifetime
{
    private const int MaxFrameSize = 4 * 1024 * 1024;
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(10);
    private readonly MultiNodeCluster _cluster = new(output);

    public async Task InitializeAsync()
    {
        await _cluster.StartAsync(2, seedCount: 1);
        await _cluster.AwaitMembersUpAsync(["n1", "n2"]);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task NodeWithTheWrongSecret_NeverJoins()
    {
        _cluster.Define("intruder", [_cluster.Spec("n1").RemoteAddress], new Dictionary<string, string?> { ["actorchain:cluster:sharedsecret"] = "not-the-cluster-secret-at-all" });
        var refusedBefore = _cluster["n1"].Remoting.Transport.Counters.RefusedHandshakesTotal;

        var intruder = await _cluster.StartNodeAsync("intruder");

        // Several refused attempts (the intruder redials and retries its join) before looking: one would not show "never".
        await Eventually.Until(
            () => _cluster["n1"].Remoting.Transport.Counters.RefusedHandshakesTotal >= refusedBefore + 3,
            TimeSpan.FromSeconds(20),
            "n1 did not refuse the intruder's handshake three times");
        await _cluster.AwaitMembersUpAsync(["n1", "n2"]);
        Assert.DoesNotContain(_cluster["n1"].Members(), m => m.Address == _cluster.Spec("intruder").RemoteAddress);
        Assert.NotEqual(Cluster.MemberStatus.Up, intruder.Cluster.SelfMember.Status);
        Assert.Empty(intruder.Remoting.Transport.ConnectedPeers);
    }

    [Fact]
    public async Task RandomBytes_OnThePeerPort_CloseThatConnection_WhileTheNodeKeepsServing()
    {
        var garbage = new byte[4096];
        new Random(4711).NextBytes(garbage);
        using var socket = await ConnectAsync("n1");

        await socket.SendAsync(garbage);

        await AssertClosedByPeerAsync(socket);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task FrameAnnouncing10MBAboveMaxFrameSize_OnAnAuthenticatedConnection_IsRefused_WithoutAllocatingIt()
    {
        var node = _cluster["n1"];
        var refusedBefore = node.Remoting.Transport.Counters.OversizedFramesRefused;
        using var peer = await RawPeer.ConnectAsync(_cluster.Spec("n1").RemotePort);

        // "a-..." sorts before "n1", so this peer selects the connection (§12.4) and may write at once.
        await peer.AuthenticateAsync(NodeSpec.ClusterId, "a-raw-peer", NodeSpec.Secret);
        await peer.SendFrameAsync(6, []);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        await peer.SendHeaderAsync(MaxFrameSize + (10 * 1024 * 1024), 3);
        await AssertClosedByPeerAsync(peer.Socket);

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.True(allocated < 10 * 1024 * 1024, $"{allocated} bytes were allocated while refusing the frame");
        Assert.Equal(refusedBefore + 1, node.Remoting.Transport.Counters.OversizedFramesRefused);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task FrameAnnouncing10MBAboveMaxFrameSize_DuringTheHandshake_IsRefused_WithoutAllocatingIt()
    {
        var header = new byte[5];
        BinaryPrimitives.WriteUInt32LittleEndian(header, MaxFrameSize + (10 * 1024 * 1024));
        header[4] = 1;
        using var socket = await ConnectAsync("n1");
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        await socket.SendAsync(header);
        await AssertClosedByPeerAsync(socket);

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.True(allocated < 10 * 1024 * 1024, $"{allocated} bytes were allocated while refusing the frame");
        await AssertStillServingAsync();
    }

    private async Task<Socket> ConnectAsync(string node)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _cluster.Spec(node).RemotePort));
        return socket;
    }

    private static async Task AssertClosedByPeerAsync(Socket socket)
    {
        var buffer = new byte[1024];
        using var timeout = new CancellationTokenSource(CloseWait);
        try
        {
            // Whatever the node wrote before closing (its own hello) is read and skipped; the end of the stream is the point.
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // A reset is a close too.
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The node did not close the connection within {CloseWait}.");
        }
    }

    private async Task AssertStillServingAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_cluster.Spec("n1").HttpPort}") };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
        await _cluster.AwaitMembersUpAsync(["n1", "n2"]);
        Assert.True(_cluster["n2"].Remoting.Transport.IsConnected(_cluster["n1"].RemoteAddress), "n2 lost its connection to n1");
    }
}
