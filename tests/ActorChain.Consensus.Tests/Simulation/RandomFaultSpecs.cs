using ActorChain.Consensus.Paxos;
using FsCheck;
using FsCheck.Fluent;
using Xunit.Abstractions;

namespace ActorChain.Consensus.Tests.Simulation;

public sealed class RandomFaultSpecs(ITestOutputHelper output)
{
    private readonly ITestOutputHelper _output = output;
    private long _runs;
    private long _entries;
    private long _heights;
    private long _messages;
    private long _simulatedMs;

    private const long FaultsEnd = 1_500;

    [Fact]
    public void AnyMixOfDropsDuplicatesPartitionsAndCrashes_KeepsEverySafetyInvariantAndConvergesOnceHealed()
    {
        var scenarios =
            from seed in Gen.Choose(1, int.MaxValue - 1)
            from nodes in Gen.Choose(3, 5)
            from entries in Gen.Choose(5, 40)
            from dropPercent in Gen.Choose(0, 20)
            from duplicatePercent in Gen.Choose(0, 20)
            from partitions in Gen.Elements(true, false)
            from crashes in Gen.Elements(true, false)
            from strandPercent in Gen.Elements(0, 5, 20)
            from learner in Gen.Elements(true, false)
            select new Scenario(seed, nodes, entries, dropPercent, duplicatePercent, partitions, crashes, strandPercent, learner);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(400), Prop.ForAll(scenarios.ToArbitrary(), Run));
        _output.WriteLine($"{_runs} runs: {_entries} entries in {_heights} heights, {_messages} messages delivered, {_simulatedMs} simulated ms");
    }

    private void Run(Scenario scenario)
    {
        var voters = Enumerable.Range(0, scenario.Nodes).Select(i => $"n{i}").ToArray();

        // A learner follows the chain and takes submissions, but is in no quorum.
        string[] ids = scenario.Learner ? [.. voters, "learner"] : voters;
        var sim = new SimCluster(scenario.Seed, TestChains.Genesis(voters), ids)
        {
            DropRate = scenario.DropPercent / 100.0,
            DuplicateRate = scenario.DuplicatePercent / 100.0,
            MaxDelayMs = 20,
        };

        // A proposer that dies halfway through sending its Accepts strands a block at some acceptors.
        // Any send may also be a node's last act: a crash in the middle of carrying out its effects.
        sim.SendFilter = (from, _, message) =>
        {
            var strand = message is PaxosProtocol.Accept && sim.Random.Next(100) < scenario.StrandPercent;
            var dies = scenario.Crashes && sim.Random.Next(1000) < 3;
            if (sim.Now < FaultsEnd && (strand || dies))
            {
                sim.Crash(from);
                sim.At(sim.Now + sim.Random.NextInt64(20, 300), () => sim.Restart(from));
                return false;
            }

            return true;
        };

        var entries = Enumerable.Range(0, scenario.Entries).Select(i => TestChains.Put($"e{i}", $"k{i % 5}", $"v{i}")).ToList();
        foreach (var entry in entries)
        {
            CrashRestartSpecs.SubmitWithRetry(sim, entry, sim.Random.NextInt64(0, 1_000));
        }

        for (var t = 50L; t < FaultsEnd; t += sim.Random.NextInt64(50, 300))
        {
            if (scenario.Partitions && sim.Random.Next(2) == 0)
            {
                // Any split, majority or not: safety may never depend on which side is larger.
                sim.At(t, () => sim.Partition([.. ids.Where(_ => sim.Random.Next(2) == 0)]));
                sim.At(t + sim.Random.NextInt64(50, 400), sim.Heal);
            }

            if (scenario.Crashes && sim.Random.Next(2) == 0)
            {
                var victim = ids[sim.Random.Next(ids.Length)];
                sim.At(t, () => sim.Crash(victim));
                sim.At(t + sim.Random.NextInt64(20, 400), () => sim.Restart(victim));
            }
        }

        sim.At(FaultsEnd, () =>
        {
            sim.Heal();
            foreach (var id in ids)
            {
                sim.Restart(id);
            }
        });

        var done = sim.RunUntil(() => sim.Now > FaultsEnd && sim.Recorder.Acknowledged.Count == entries.Count && sim.AllHeadsEqual(), 30_000);

        Assert.True(done, $"{scenario}: {sim.Recorder.Acknowledged.Count} of {entries.Count} acknowledged, heads {string.Join(", ", sim.Running.Select(n => $"{n.NodeId}@{n.Head}"))} at {sim.Now} ms");
        sim.AssertConverged();
        _runs++;
        _entries += entries.Count;
        _heights += sim.Node(ids[0]).Head;
        _messages += sim.MessagesDelivered;
        _simulatedMs += sim.Now;
    }

    private sealed record Scenario(int Seed, int Nodes, int Entries, int DropPercent, int DuplicatePercent, bool Partitions, bool Crashes, int StrandPercent, bool Learner);
}
