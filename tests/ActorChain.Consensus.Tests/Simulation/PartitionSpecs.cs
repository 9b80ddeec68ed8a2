namespace ActorChain.Consensus.Tests.Simulation;

public sealed class PartitionSpecs
{
    private static readonly string[] Ids = ["a", "b", "c", "d", "e"];

    [Fact]
    public void Cluster_WithMinorityPartition_DecidesNothingOnMinoritySideAndConvergesAfterHeal()
    {
        var sim = new SimCluster(seed: 11, TestChains.Genesis(Ids), Ids);
        sim.Submit("a", TestChains.Put("before"));
        Assert.True(sim.RunUntil(() => sim.Recorder.Acknowledged.Count == 1 && sim.AllHeadsEqual(), 2_000));
        var headBefore = sim.Node("a").Head;

        sim.Partition(["a", "b"], ["c", "d", "e"]);
        for (var i = 0; i < 20; i++)
        {
            sim.SubmitAt(sim.Now + (i * 20), Ids[i % 2], TestChains.Put($"minority-{i}"));
            sim.SubmitAt(sim.Now + (i * 20), Ids[2 + (i % 3)], TestChains.Put($"majority-{i}"));
        }

        sim.RunFor(3_000);

        Assert.Equal(headBefore, sim.Node("a").Head);
        Assert.Equal(headBefore, sim.Node("b").Head);
        Assert.DoesNotContain(sim.Recorder.Acknowledged.Keys, id => id.StartsWith("minority-", StringComparison.Ordinal));
        Assert.True(sim.Node("c").Head > headBefore, "the majority side decided nothing");
        Assert.All(Enumerable.Range(0, 20), i => Assert.True(sim.Recorder.Acknowledged.ContainsKey($"majority-{i}"), $"majority-{i} not decided"));

        sim.Heal();
        var healed = sim.RunUntil(() => sim.Recorder.Acknowledged.Count == 41 && sim.AllHeadsEqual(), sim.Now + 5_000);

        Assert.True(healed, $"after heal {sim.Recorder.Acknowledged.Count} of 41 acknowledged; heads {string.Join(", ", sim.Running.Select(n => $"{n.NodeId}@{n.Head}"))}");
        sim.AssertConverged();
    }
}
