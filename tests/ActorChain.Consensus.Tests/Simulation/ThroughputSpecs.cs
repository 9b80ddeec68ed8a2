namespace ActorChain.Consensus.Tests.Simulation;

public sealed class ThroughputSpecs
{
    [Fact]
    public void ThreeNodes_WithThousandsOfEntriesAtRandomNodes_EndWithOneChainHoldingEachAcknowledgedEntryOnce()
    {
        string[] ids = ["a", "b", "c"];
        var sim = new SimCluster(seed: 7, TestChains.Genesis(ids), ids);
        const int count = 3000;
        for (var i = 0; i < count; i++)
        {
            sim.SubmitAt(sim.Random.NextInt64(0, 50), ids[sim.Random.Next(ids.Length)], TestChains.Put($"e{i}", $"k{i % 97}", $"v{i}"));
        }

        var done = sim.RunUntil(() => sim.Recorder.Acknowledged.Count == count && sim.AllHeadsEqual(), maxTimeMs: 30_000);

        Assert.True(done, $"after {sim.Now} ms only {sim.Recorder.Acknowledged.Count} of {count} entries were acknowledged; heads {string.Join(", ", sim.Running.Select(n => $"{n.NodeId}@{n.Head}"))}");
        Assert.Empty(sim.Rejected);
        sim.AssertConverged();
        Assert.Equal(count, sim.Journal("a").Sum(b => b.Entries.Count) - 1);
    }
}
