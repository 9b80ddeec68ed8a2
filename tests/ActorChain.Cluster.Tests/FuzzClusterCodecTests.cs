using System.Text;
using ActorChain.Tests.Fuzz;
using Xunit.Abstractions;
using static ActorChain.Cluster.ClusterProtocol;

namespace ActorChain.Cluster.Tests;

/// <summary>
/// The cluster's gossip codec (the payload of remoting type −2200) under random and mutated input:
/// every message type, gossip tables included. It may only refuse with <see cref="FormatException"/>,
/// never allocate more than max-frame-size, and always return. FuzzEngine.cs links the shared engine.
/// </summary>
public sealed class FuzzClusterCodecTests(ITestOutputHelper output)
{
    private const int NormalCases = 3000;

    private readonly ClusterMessageCodec _codec = new(o => Encoding.UTF8.GetBytes((string)o), b => Encoding.UTF8.GetString(b));

    [Fact]
    public async Task ClusterCodec_OnMutatedInput_OnlyThrowsFormatException_AndStaysWithinTheFrameLimit()
    {
        IEnumerable<object[]> rows = ClusterMessageCodecTests.EveryMessageType();
        var targets = rows
            .Select(static row => (IClusterMessage)row[0])
            .Append(new GossipEnvelope(GossipTests.Nodes[0], GossipTests.Nodes[1], "chain-1", BigGossip()))
            .GroupBy(static m => m.GetType().Name)
            .Select(group => new FuzzTarget(
                $"cluster {group.Key}",
                [.. group.Select(_codec.Encode)],
                input => _codec.Decode(input),
                static ex => ex is FormatException));

        var report = await FuzzEngine.RunAsync(targets, FuzzEngine.Cases(NormalCases));

        output.WriteLine(report.ToString());
        Assert.True(report.Rejected > 0, "no mutated input was refused: the mutations reach nothing");
    }

    private static Gossip BigGossip()
    {
        var gossip = Gossip.Empty;
        foreach (var node in GossipTests.Nodes)
        {
            gossip = gossip.WithMember(new Member(node, MemberStatus.Up)).Increment(node);
        }

        return gossip
            .WithOverview(Reachability.Empty.Unreachable(GossipTests.Nodes[0], GossipTests.Nodes[^1]))
            .OnlySeen(GossipTests.Nodes[0]);
    }
}
