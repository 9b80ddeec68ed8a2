using ActorChain.Chain;
using ActorChain.Consensus.Node;
using ActorChain.Consensus.Tests.Simulation;
using static ActorChain.Consensus.Node.ConsensusEffect;

namespace ActorChain.Consensus.Tests.Node;

/// <summary>
/// The winner of a busy height waits up to <see cref="ConsensusOptions.BlockLingerMs"/> for a block as full as
/// the one it just won, and no longer; a quiet node, a small block or a zero linger propose at once. A single
/// voter decides inside the call that starts its attempt, so a decided height shows whether it proposed.
/// </summary>
public sealed class BlockLingerTests
{
    private const long Linger = 3;

    [Fact]
    public void AfterABusyBlock_AFewEntries_WaitForTheLinger_ThenTheTickProposesThem()
    {
        var node = SoloNode(Linger);
        Assert.Equal(1, DecidedHeight(node.Submit(Puts("a", 4), 10)));

        Assert.Null(DecidedHeight(node.Submit(Puts("b", 1), 11)));
        Assert.Equal(10 + Linger, node.NextAttemptAtMs);
        Assert.Null(DecidedHeight(node.Tick(12)));

        Assert.Equal(2, DecidedHeight(node.Tick(10 + Linger)));
        Assert.Single(node.Chain.HeadBlock.Entries);
    }

    [Fact]
    public void AfterABusyBlock_AMempoolAsFullAsThatBlock_IsProposedAtOnce()
    {
        var node = SoloNode(Linger);
        Assert.Equal(1, DecidedHeight(node.Submit(Puts("a", 4), 10)));

        Assert.Null(DecidedHeight(node.Submit(Puts("b", 3), 11)));
        Assert.Equal(2, DecidedHeight(node.Submit(Puts("c", 1), 11)));
        Assert.Equal(4, node.Chain.HeadBlock.Entries.Count);
    }

    [Fact]
    public void AfterASmallBlock_TheNextEntryIsProposedAtOnce()
    {
        var node = SoloNode(Linger);
        Assert.Equal(1, DecidedHeight(node.Submit(Puts("a", ConsensusOptions.LingerMinEntries - 1), 10)));

        Assert.Equal(2, DecidedHeight(node.Submit(Puts("b", 1), 10)));
    }

    [Fact]
    public void WithZeroLinger_TheNextEntryIsProposedAtOnce()
    {
        var node = SoloNode(0);
        Assert.Equal(1, DecidedHeight(node.Submit(Puts("a", 8), 10)));

        Assert.Equal(2, DecidedHeight(node.Submit(Puts("b", 1), 10)));
        Assert.Null(node.NextAttemptAtMs);
    }

    [Fact]
    public void TheLingerAfterABusyBlock_DoesNotCarryOverPastTheNextBlock()
    {
        var node = SoloNode(Linger);
        Assert.Equal(1, DecidedHeight(node.Submit(Puts("a", 4), 10)));
        Assert.Equal(2, DecidedHeight(node.Submit(Puts("b", 2), 10 + Linger)));

        // Height 2 held two entries: no linger after it.
        Assert.Equal(3, DecidedHeight(node.Submit(Puts("c", 1), 10 + Linger)));
    }

    private static long? DecidedHeight(IReadOnlyList<ConsensusEffect> effects) =>
        effects.OfType<AppendBlock>().Select(a => (long?)a.Block.Height).LastOrDefault();

    private static Entry[] Puts(string prefix, int count) =>
        Enumerable.Range(0, count).Select(i => TestChains.Put($"{prefix}{i}", key: $"{prefix}{i}")).ToArray();

    private static ConsensusNode SoloNode(long lingerMs) =>
        new(SimCluster.DefaultOptions("a") with { BlockLingerMs = lingerMs }, [TestChains.Genesis("a")], [], [], new Random(1), 0);
}
