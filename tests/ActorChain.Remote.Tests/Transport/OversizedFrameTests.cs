using System.Text;
using ActorChain.Remote.Framing;
using ActorChain.Remote.Tests.Support;
using ActorChain.Remote.Transport;

namespace ActorChain.Remote.Tests.Transport;

/// <summary>Runs alone: it measures process-wide allocation, which parallel tests would disturb.</summary>
[CollectionDefinition(nameof(AllocationSensitive), DisableParallelization = true)]
public sealed class AllocationSensitive;

[Collection(nameof(AllocationSensitive))]
public sealed class OversizedFrameTests
{
    private const int MaxFrameSize = 1024 * 1024;

    [Fact]
    public async Task Frame_Announcing10MegabytesOverTheLimit_IsRefusedWithoutAllocatingIt()
    {
        var secret = Encoding.UTF8.GetBytes("the cluster's shared secret, 32+b");
        var handler = new RecordingHandler();
        var logger = new CapturingLogger();
        await using var b = new RemoteTransport(
            new RemoteTransportOptions { NodeId = "node-b", ClusterId = "c", SharedSecret = secret, MaxFrameSize = MaxFrameSize },
            handler,
            logger);
        b.Start();
        await using var raw = await RawPeer.ConnectAsync(b.LocalAddress);
        await raw.HandshakeAsync("raw", "c", secret, new RemoteAddress("127.0.0.1", 3));
        Assert.Equal(FrameType.HandshakeAck, (await raw.ReadFrameAsync()).Type);
        Assert.Equal(FrameType.Select, (await raw.ReadFrameAsync()).Type);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var header = new byte[FrameCodec.HeaderSize];
        FrameCodec.WriteHeader(header, FrameType.Envelope, MaxFrameSize + 10_000_000);
        await raw.SendAsync(header, new byte[64 * 1024]);
        await Within.Await(raw.WaitForCloseAsync(), "node-b closing the connection that announced an oversized frame");
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(1, b.Counters.OversizedFramesRefused);
        Assert.True(logger.Has(2004, "raw@127.0.0.1:3", "limit is 1048576"));
        Assert.True(allocated < 2_000_000, $"refusing the frame allocated {allocated} bytes");
        Assert.Equal(0, handler.Count);
    }
}
