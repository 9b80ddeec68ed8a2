using ActorChain.Chain;

namespace ActorChain.Consensus.Tests.Simulation;

public sealed class CrashRestartSpecs
{
    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void RandomCrashesDuringABurst_LoseNoAcknowledgedWrite(int nodes) => CrashDuringABurst(nodes, journalLagMs: 0, seeds: 12);

    // Clients are answered once their block is decided; a node that crashes before its journal has the block loses only its copy.
    [Fact]
    public void RandomCrashesDuringABurst_WhileAnsweredBlocksAreNotYetJournaled_LoseNoAcknowledgedWrite() =>
        CrashDuringABurst(3, journalLagMs: 30, seeds: 8);

    private static void CrashDuringABurst(int nodes, long journalLagMs, int seeds)
    {
        var lost = 0;
        var ids = Enumerable.Range(0, nodes).Select(i => $"n{i}").ToArray();
        for (var seed = 1; seed <= seeds; seed++)
        {
            var sim = new SimCluster(seed * 31, TestChains.Genesis(ids), ids) { JournalLagMs = journalLagMs };
            var entries = Enumerable.Range(0, 200).Select(i => TestChains.Put($"s{seed}-e{i}", $"k{i % 13}", $"v{i}")).ToList();
            const long burstEnd = 2_000;
            foreach (var entry in entries)
            {
                SubmitWithRetry(sim, entry, sim.Random.NextInt64(0, burstEnd));
            }

            // Crash a random node every ~150 ms (never more than a minority at once), restart it 50-400 ms later.
            var down = new HashSet<string>();
            for (var t = 100L; t < burstEnd; t += sim.Random.NextInt64(50, 250))
            {
                sim.At(t, () =>
                {
                    var victim = ids[sim.Random.Next(ids.Length)];
                    if (down.Count >= (nodes - 1) / 2 || down.Contains(victim))
                    {
                        return;
                    }

                    down.Add(victim);
                    sim.Crash(victim);
                    sim.At(sim.Now + sim.Random.NextInt64(50, 400), () =>
                    {
                        sim.Restart(victim);
                        down.Remove(victim);
                    });
                });
            }

            var done = sim.RunUntil(() => sim.Recorder.Acknowledged.Count == entries.Count && sim.AllHeadsEqual(), 20_000);

            Assert.True(done, $"seed {seed}: {sim.Recorder.Acknowledged.Count} of {entries.Count} acknowledged by {sim.Now} ms");
            sim.RunFor(journalLagMs + 1);
            sim.AssertConverged();
            lost += sim.LostUnjournaled;
        }

        // The crashes must have hit the window this is about.
        Assert.True(journalLagMs == 0 || lost > 0, "no crash came between a decision and its journal write");
    }

    // A client whose node crashed before answering retries the same id at another node until acknowledged.
    internal static void SubmitWithRetry(SimCluster sim, Entry entry, long atMs)
    {
        sim.At(atMs, () =>
        {
            if (sim.Recorder.Acknowledged.ContainsKey(entry.Id))
            {
                return;
            }

            var up = sim.NodeIds.Where(sim.IsUp).ToList();
            if (up.Count > 0)
            {
                sim.Submit(up[sim.Random.Next(up.Count)], entry);
            }

            SubmitWithRetry(sim, entry, sim.Now + 500);
        });
    }
}
