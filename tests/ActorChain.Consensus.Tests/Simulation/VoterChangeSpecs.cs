namespace ActorChain.Consensus.Tests.Simulation;

public sealed class VoterChangeSpecs
{
    [Fact]
    public void VoterAddAndRemove_ThroughTheChain_ChangeTheQuorumFromTheNextHeight()
    {
        string[] ids = ["a", "b", "c", "d"];
        var sim = new SimCluster(seed: 9, TestChains.Genesis("a", "b", "c"), ids);
        sim.Recorder.FixedQuorum = null;

        // Three voters: a and b are a quorum (2 of 3) even with c and the learner d cut off.
        sim.Partition(["a", "b"], ["c", "d"]);
        sim.Submit("a", TestChains.Put("with-three-voters"));
        Assert.True(sim.RunUntil(() => sim.Recorder.Acknowledged.ContainsKey("with-three-voters"), 3_000), "a and b are 2 of 3 voters and should decide");

        sim.Heal();
        sim.Submit("a", TestChains.VoterAdd("add-d", "d"));
        Assert.True(sim.RunUntil(() => sim.Recorder.Acknowledged.ContainsKey("add-d") && sim.AllHeadsEqual(), sim.Now + 3_000));
        var addHeight = sim.Recorder.Acknowledged["add-d"].Height;
        Assert.True(sim.Node("a").Chain.Ledger.IsVoter("d"));

        // Four voters from the next height: a and b are 2 of 4, no quorum.
        sim.Partition(["a", "b"], ["c", "d"]);
        sim.Submit("a", TestChains.Put("with-four-voters"));
        sim.RunFor(2_000);
        Assert.False(sim.Recorder.Acknowledged.ContainsKey("with-four-voters"), "a and b decided alone although d had become a voter");
        Assert.Equal(addHeight, sim.Node("a").Head);

        // d is a voter now: a, b and d are 3 of 4.
        sim.Partition(["a", "b", "d"], ["c"]);
        Assert.True(sim.RunUntil(() => sim.Recorder.Acknowledged.ContainsKey("with-four-voters"), sim.Now + 3_000), "a, b and d are 3 of 4 voters and should decide");

        sim.Submit("a", TestChains.VoterRemove("remove-c", "c"));
        Assert.True(sim.RunUntil(() => sim.Recorder.Acknowledged.ContainsKey("remove-c"), sim.Now + 3_000));
        Assert.False(sim.Node("a").Chain.Ledger.IsVoter("c"));

        // Back to three voters (a, b, d): a and b are a quorum again.
        sim.Partition(["a", "b"], ["c", "d"]);
        sim.Submit("b", TestChains.Put("after-remove"));
        Assert.True(sim.RunUntil(() => sim.Recorder.Acknowledged.ContainsKey("after-remove"), sim.Now + 3_000), "a and b are 2 of 3 voters after c left and should decide");

        sim.Heal();
        Assert.True(sim.RunUntil(sim.AllHeadsEqual, sim.Now + 3_000));
        sim.AssertConverged();
    }
}
