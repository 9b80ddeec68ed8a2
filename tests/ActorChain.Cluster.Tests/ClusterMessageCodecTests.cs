using System.Text;
using FsCheck;
using FsCheck.Fluent;
using static ActorChain.Cluster.ClusterProtocol;

namespace ActorChain.Cluster.Tests;

public sealed class ClusterMessageCodecTests
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(200);
    private readonly ClusterMessageCodec _codec = new(o => Encoding.UTF8.GetBytes((string)o), b => Encoding.UTF8.GetString(b));

    public static TheoryData<IClusterMessage> EveryMessageType()
    {
        var a = GossipTests.Nodes[0];
        var b = GossipTests.Nodes[1];
        var gossip = Gossip.Empty
            .WithMember(new Member(a, MemberStatus.Up))
            .WithMember(new Member(b, MemberStatus.Leaving))
            .WithOverview(Reachability.Empty.Unreachable(a, b))
            .Increment(a)
            .OnlySeen(a);
        return
        [
            new InitJoin(a, "chain-1"),
            new InitJoinAck(a),
            new InitJoinNack(a),
            new InitJoinNack(a, "cluster id 'x' is not 'y'"),
            new ClusterProtocol.Join(a, "chain-1"),
            new Welcome(a, gossip),
            new GossipEnvelope(a, b, "chain-1", gossip),
            new Heartbeat(a, long.MaxValue),
            new HeartbeatRsp(b, 3),
            new Deliver(a, "/user/chain", "proposal ü"),
        ];
    }

    [Theory]
    [MemberData(nameof(EveryMessageType))]
    public void Decode_OfEncode_ReturnsAnEqualMessage(IClusterMessage message)
    {
        var decoded = _codec.Decode(_codec.Encode(message));

        switch (message)
        {
            case Welcome w:
                Assert.Equal(w.Gossip, Assert.IsType<Welcome>(decoded).Gossip);
                break;
            case GossipEnvelope g:
                var envelope = Assert.IsType<GossipEnvelope>(decoded);
                Assert.Equal((g.From, g.To, g.ClusterId), (envelope.From, envelope.To, envelope.ClusterId));
                Assert.Equal(g.Gossip, envelope.Gossip);
                break;
            default:
                Assert.Equal(message, decoded);
                break;
        }
    }

    [Fact]
    public void Gossip_RoundTripsForAnyTable() =>
        Check.One(Quick, Prop.ForAll(GossipTests.GossipGen.ToArbitrary(), g =>
        {
            var envelope = new GossipEnvelope(GossipTests.Nodes[0], GossipTests.Nodes[1], "c", g);
            return ((GossipEnvelope)_codec.Decode(_codec.Encode(envelope))).Gossip.Equals(g);
        }));

    [Fact]
    public void Decode_OfAnyTruncation_ThrowsFormatException()
    {
        var bytes = _codec.Encode(new GossipEnvelope(GossipTests.Nodes[0], GossipTests.Nodes[1], "c", Gossip.Empty
            .WithMember(new Member(GossipTests.Nodes[0], MemberStatus.Up))
            .Increment(GossipTests.Nodes[0])
            .OnlySeen(GossipTests.Nodes[0])));

        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<FormatException>(() => _codec.Decode(bytes.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Decode_OfArbitraryBytes_FailsOnlyWithFormatException() =>
        Check.One(Quick, Prop.ForAll(Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf().ToArbitrary(), bytes =>
        {
            try
            {
                _codec.Decode(bytes);
                return true;
            }
            catch (FormatException)
            {
                return true;
            }
        }));

    [Fact]
    public void Decode_WithAHugeCount_FailsBeforeAllocating()
    {
        byte[] bytes = [(byte)ClusterMessageCodec.MessageType.Heartbeat, 0xFF, 0xFF, 0xFF, 0x7F];

        Assert.Throws<FormatException>(() => _codec.Decode(bytes));
    }
}
