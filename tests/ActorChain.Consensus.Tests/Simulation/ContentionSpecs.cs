using Xunit.Abstractions;

namespace ActorChain.Consensus.Tests.Simulation;

public sealed class ContentionSpecs(ITestOutputHelper output)
{
    private readonly ITestOutputHelper _output = output;

    // Stated liveness bound: every entry of a round of coincident proposals decided within this much simulated time.
    private const long LivenessBoundMs = 5_000;

    [Theory]
    [InlineData(2, 3)]
    [InlineData(5, 5)]
    public void CoincidentProposals_AtOneHeight_DecideOneBlockPerHeightAndEveryEntryWithinTheBound(int proposers, int nodes)
    {
        var ids = Enumerable.Range(0, nodes).Select(i => $"n{i}").ToArray();
        for (var seed = 1; seed <= 30; seed++)
        {
            var sim = new SimCluster(seed, TestChains.Genesis(ids), ids);
            var expected = 0;
            for (var round = 0; round < 5; round++)
            {
                // Every proposer gets its own entry at the same instant, so all start an attempt for the same height at once.
                var at = 10 + (round * 400);
                for (var p = 0; p < proposers; p++)
                {
                    sim.SubmitAt(at, ids[p], TestChains.Put($"s{seed}-r{round}-p{p}"));
                    expected++;
                }
            }

            var done = sim.RunUntil(() => sim.Recorder.Acknowledged.Count == expected && sim.AllHeadsEqual(), LivenessBoundMs);

            Assert.True(done, $"seed {seed}: {sim.Recorder.Acknowledged.Count} of {expected} acknowledged by {sim.Now} ms (livelock?)");
            sim.AssertConverged();
            _output.WriteLine($"seed {seed}: done at {sim.Now} ms, {sim.Running.Sum(n => n.AttemptsStarted)} attempts for {sim.Recorder.HighestDecided} heights");
        }
    }
}
