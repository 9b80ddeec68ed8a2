using ActorChain.Consensus.Node;
using ActorChain.Consensus.Paxos;
using ActorChain.Consensus.Tests.Simulation;
using static ActorChain.Consensus.Node.ConsensusEffect;

namespace ActorChain.Consensus.Tests.Node;

/// <summary>
/// <see cref="ConsensusNode.IdleUntilMs"/> tells the driver when a tick can do nothing but send the head status, so
/// an idle node sleeps until then; anything waiting on time makes it null (tick at the driver's interval).
/// </summary>
public sealed class IdleUntilTests
{
    private static readonly ConsensusOptions Options = SimCluster.DefaultOptions("a");

    [Fact]
    public void AnIdleNode_IsIdleUntilItsNextHeadStatus_AndATickBeforeThenDoesNothing()
    {
        var node = new ConsensusNode(Options, [TestChains.Genesis("a", "b", "c")], [], ["b", "c"], new Random(1), 0);
        Assert.Equal(0, node.IdleUntilMs);

        var status = node.Tick(0);
        Assert.Equal(["b", "c"], status.OfType<Send>().Where(s => s.Message is ConsensusProtocol.HeadStatus).Select(s => s.To).Order());
        Assert.Equal(Options.StatusIntervalMs, node.IdleUntilMs);

        Assert.Empty(node.Tick(Options.StatusIntervalMs - 1));
        Assert.Equal(Options.StatusIntervalMs, node.IdleUntilMs);
        Assert.Equal(Options.StatusIntervalMs, node.NextTickAtMs(10, 5));
        Assert.Equal(15, node.NextTickAtMs(10, 5, driverHasWork: true));
    }

    [Fact]
    public void ASubmittedEntry_KeepsTheNodeBusy_UntilItIsDecidedAndGossiped()
    {
        // A single voter decides inside the call; without a known leader the entry still waits for the next tick's gossip.
        var node = new ConsensusNode(Options, [TestChains.Genesis("a")], [], ["b"], new Random(1), 0);
        node.Tick(0);
        Assert.Contains(node.Submit(TestChains.Put("x"), 10), e => e is AppendBlock);
        Assert.Null(node.IdleUntilMs);
        Assert.Equal(15, node.NextTickAtMs(10, 5));

        Assert.Contains(node.Tick(15), e => e is Send { To: "b", Message: ConsensusProtocol.MempoolForward });
        Assert.Equal(Options.StatusIntervalMs, node.IdleUntilMs);
    }

    [Fact]
    public void AnEntryHeldForTheLeader_KeepsTheNodeBusy_UntilTheLeaderPatienceHasRunOut()
    {
        var node = new ConsensusNode(Options, [TestChains.Genesis("a")], [], ["b"], new Random(1), 0);
        node.Submit(TestChains.Put("x"), 10);
        node.Tick(15);
        Assert.Equal("a", node.Leader);

        // This node leads now: its next entry is held for itself rather than gossiped, until the patience runs out.
        Assert.Contains(node.Submit(TestChains.Put("y"), 20), e => e is AppendBlock);
        node.Tick(25);
        Assert.Null(node.IdleUntilMs);

        node.Tick(25 + Options.LeaderPatienceMs - 1);
        Assert.Null(node.IdleUntilMs);
        Assert.DoesNotContain(node.Tick(25 + Options.LeaderPatienceMs), e => e is Send { Message: ConsensusProtocol.MempoolForward });
        Assert.NotNull(node.IdleUntilMs);
    }

    [Fact]
    public void ABlockAcceptedForTheOpenHeight_KeepsTheNodeBusy_UntilItIsDecided()
    {
        var genesis = TestChains.Genesis("a", "b", "c");
        var block = TestChains.Next(genesis, "b", TestChains.Put("x"));
        var ballot = new Ballot(1, "b");
        var node = new ConsensusNode(Options, [genesis], [], ["b", "c"], new Random(1), 0);
        node.Tick(0);

        node.Receive("b", new PaxosProtocol.Accept(1, ballot, block), 10);
        Assert.Null(node.IdleUntilMs);

        node.Receive("b", new PaxosProtocol.Chosen(1, ballot, block.Hash), 11);
        Assert.Equal(1, node.Head);
        Assert.Equal(Options.StatusIntervalMs, node.IdleUntilMs);
    }
}
