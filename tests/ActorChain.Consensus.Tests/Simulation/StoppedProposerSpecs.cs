using ActorChain.Chain;
using ActorChain.Consensus.Paxos;

namespace ActorChain.Consensus.Tests.Simulation;

public sealed class StoppedProposerSpecs
{
    private static readonly string[] Ids = ["a", "b", "c", "d", "e"];

    [Fact]
    public void Proposer_StoppedAfterAcceptReachedSomeAcceptors_HeightResolvesToOneBlockAndAChosenBlockIsKept()
    {
        var chosenSeen = 0;
        var notChosenSeen = 0;
        for (var seed = 1; seed <= 40; seed++)
        {
            var sim = new SimCluster(seed, TestChains.Genesis(Ids), Ids);
            var reached = Ids[1..].OrderBy(_ => sim.Random.Next()).Take(seed % 5).ToHashSet();
            Block? stranded = null;
            Ballot strandedBallot = default;
            var acceptsSeen = 0;
            var acceptedBy = new HashSet<string>();
            sim.SendFilter = (from, to, message) =>
            {
                if (message is PaxosProtocol.Accepted accepted && accepted.Ballot == strandedBallot)
                {
                    acceptedBy.Add(from);
                }

                if (from != "a" || message is not PaxosProtocol.Accept accept)
                {
                    return true;
                }

                stranded = accept.Block;
                strandedBallot = accept.Ballot;
                if (++acceptsSeen == Ids.Length - 1)
                {
                    sim.Crash("a");
                }

                return reached.Contains(to);
            };
            sim.Submit("a", TestChains.Put("stranded-entry"));
            Assert.True(sim.RunUntil(() => !sim.IsUp("a"), 1_000), $"seed {seed}: a never sent its Accept");
            var height = stranded!.Height;

            // The acceptors that accepted lose power too: only what they persisted before replying survives.
            foreach (var id in reached)
            {
                sim.At(sim.Now + 20, () => sim.Crash(id));
                sim.At(sim.Now + 30, () => sim.Restart(id));
            }

            for (var i = 0; i < 5; i++)
            {
                sim.SubmitAt(sim.Now + 200 + (i * 30), Ids[1 + (i % 4)], TestChains.Put($"after-{i}"));
            }

            sim.At(sim.Now + 600, () => sim.Restart("a"));
            var done = sim.RunUntil(
                () => Enumerable.Range(0, 5).All(i => sim.Recorder.Acknowledged.ContainsKey($"after-{i}")) && sim.AllHeadsEqual(),
                sim.Now + 5_000);

            Assert.True(done, $"seed {seed}: the cluster did not resolve height {height} and decide later entries");
            sim.AssertConverged();
            if (acceptedBy.Count >= 3)
            {
                chosenSeen++;
                Assert.True(sim.Recorder.Decided[height] == stranded.Hash, $"seed {seed}: block {stranded.Hash} was accepted by {acceptedBy.Count} of 5 (a quorum) but {sim.Recorder.Decided[height]} was decided at {height}");
            }
            else
            {
                notChosenSeen++;
            }
        }

        Assert.True(chosenSeen > 0 && notChosenSeen > 0, $"the seeds should cover both a chosen ({chosenSeen}) and an unchosen ({notChosenSeen}) stranded block");
    }

    [Fact]
    public void TwoStrandedBlocks_AtDifferentBallots_TheNextProposerAdoptsTheHigherOneWhichAQuorumChose()
    {
        var sim = new SimCluster(seed: 21, TestChains.Genesis(Ids), Ids);
        Block? first = null;
        Block? second = null;
        sim.SendFilter = (from, to, message) =>
        {
            switch (message)
            {
                // a's Accept reaches only b, then a dies: block A is accepted at b alone.
                case PaxosProtocol.Accept accept when from == "a":
                    first = accept.Block;
                    if (to != "b")
                    {
                        sim.Crash("a");
                        return false;
                    }

                    return true;

                // c's Accept reaches d and e (c accepts its own): block C is chosen, but c never hears it.
                case PaxosProtocol.Accept accept when from == "c":
                    second = accept.Block;
                    return true;
                case PaxosProtocol.Accepted when to == "c":
                    return false;
                default:
                    return true;
            }
        };

        sim.Submit("a", TestChains.Put("from-a"));
        Assert.True(sim.RunUntil(() => !sim.IsUp("a"), 1_000), "a never sent its Accept");
        sim.RunFor(20);
        Assert.Contains(sim.AcceptorLog("b"), r => r.Kind == AcceptorRecordKind.Accepted && r.Block!.Hash == first!.Hash);

        sim.Partition(["b"], ["c", "d", "e"]);
        sim.Submit("c", TestChains.Put("from-c"));
        Assert.True(sim.RunUntil(() => second is not null && sim.AcceptorLog("e").Any(r => r.Kind == AcceptorRecordKind.Accepted), sim.Now + 1_000), "c's block was never accepted");
        sim.RunFor(20);
        sim.Crash("c");
        sim.SendFilter = null;
        Assert.Equal(1, sim.Recorder.ChosenCount);

        // The next quorum (a, b, d) holds A under a's lower ballot at b and C under c's higher ballot at d.
        sim.Restart("a");
        sim.Partition(["a", "b", "d"], ["c", "e"]);
        sim.Submit("d", TestChains.Put("from-d"));
        Assert.True(sim.RunUntil(() => sim.Recorder.Decided.ContainsKey(1), sim.Now + 2_000), "nothing was decided at height 1");

        Assert.Equal(second!.Hash, sim.Recorder.Decided[1]);
        Assert.NotEqual(first!.Hash, second.Hash);
        sim.Heal();
        sim.Restart("c");
        Assert.True(sim.RunUntil(() => sim.Recorder.Acknowledged.ContainsKey("from-d") && sim.AllHeadsEqual(), sim.Now + 5_000));
        sim.AssertConverged();
    }
}
