namespace ActorChain.Consensus.Tests.Simulation;

public sealed class CatchUpSpecs
{
    [Fact]
    public void EmptyNewNode_CatchesUpALongChain_ToTheSameHead()
    {
        string[] voters = ["a", "b", "c"];
        var genesis = TestChains.Genesis(voters);
        var chain = TestChains.Chain(genesis, 2_000);
        var sim = new SimCluster(seed: 3, genesis, []);
        foreach (var id in voters)
        {
            sim.AddNode(id, chain);
        }

        sim.AddNode("learner", [genesis]);
        var done = sim.RunUntil(() => sim.Node("learner").Head == 2_000, 20_000);

        Assert.True(done, $"the new node reached only height {sim.Node("learner").Head} of 2000 by {sim.Now} ms");
        Assert.Equal(chain[^1].Hash, sim.Node("learner").Chain.HeadBlock.Hash);
        Assert.Equal(chain.Select(b => b.Hash), sim.Journal("learner").Select(b => b.Hash));
        Assert.True(sim.Node("learner").Chain.Ledger.TryGetValue("key-7", out _));
    }

    [Fact]
    public void NodeThatMissedDecisions_CatchesUpAndThenTakesPartAgain()
    {
        string[] ids = ["a", "b", "c"];
        var sim = new SimCluster(seed: 5, TestChains.Genesis(ids), ids);
        sim.Partition(["c"], ["a", "b"]);
        for (var i = 0; i < 30; i++)
        {
            sim.SubmitAt(i * 10, ids[i % 2], TestChains.Put($"e{i}"));
        }

        Assert.True(sim.RunUntil(() => sim.Recorder.Acknowledged.Count == 30, 5_000));
        Assert.Equal(0, sim.Node("c").Head);

        sim.Heal();
        sim.Partition(["a"], ["b", "c"]);
        sim.Submit("c", TestChains.Put("late"));
        var done = sim.RunUntil(() => sim.Recorder.Acknowledged.ContainsKey("late"), sim.Now + 5_000);

        Assert.True(done, "c never caught up with b to decide with it while a was cut off");
        sim.Heal();
        Assert.True(sim.RunUntil(sim.AllHeadsEqual, sim.Now + 5_000));
        sim.AssertConverged();
    }
}
