using ActorChain.Chain;
using ActorChain.Chain.Signing;
using ActorChain.Consensus.Node;
using ActorChain.Consensus.Paxos;
using static ActorChain.Consensus.Paxos.PaxosProtocol;

namespace ActorChain.Consensus.Tests.Simulation;

/// <summary>Consensus in a chain with signed blocks: only blocks their proposer (a voter) signed are accepted, learned or caught up.</summary>
public sealed class SignedBlockSpecs
{
    private static readonly string[] Ids = ["a", "b", "c"];
    private static readonly Dictionary<string, BlockSigner> Keys = Ids.ToDictionary(id => id, _ => BlockSigner.Generate());
    private static readonly BlockSigner WrongKey = BlockSigner.Generate();
    private static readonly Block Genesis =
        GenesisPayload.CreateGenesisBlock(TestChains.ClusterId, Ids, 1_700_000_000_000, Ids.ToDictionary(id => id, id => Keys[id].PublicKey));

    private static ConsensusOptions Options(string id, BlockSigner? signer) => SimCluster.DefaultOptions(id) with { Signer = signer };

    [Fact]
    public void ProposerWithAWrongKey_NeverGetsItsBlockDecided_WhileHonestNodesKeepDeciding()
    {
        for (var seed = 1; seed <= 5; seed++)
        {
            var sim = new SimCluster(seed, Genesis, Ids, id => Options(id, id == "c" ? WrongKey : Keys[id]));
            var expected = new List<string>();
            for (var round = 0; round < 10; round++)
            {
                foreach (var id in Ids)
                {
                    var entry = $"s{seed}-r{round}-{id}";
                    sim.SubmitAt(10 + (round * 150), id, TestChains.Put(entry, $"key-{round}"));
                    expected.Add(entry);
                }
            }

            var done = sim.RunUntil(() => expected.All(sim.Recorder.Acknowledged.ContainsKey) && sim.AllHeadsEqual(), 20_000);

            Assert.True(done, $"seed {seed}: {expected.Count(sim.Recorder.Acknowledged.ContainsKey)} of {expected.Count} entries acknowledged by {sim.Now} ms");
            Assert.True(sim.Node("c").AttemptsStarted > 0, $"seed {seed}: c never proposed, so the spec proved nothing");
            sim.AssertConverged();
            foreach (var id in Ids)
            {
                var journal = sim.Journal(id);
                Assert.DoesNotContain(journal.Skip(1), b => b.Header.Proposer == "c");
                var verified = ChainVerifier.Verify(journal, TestChains.ClusterId, Genesis.Hash, sim.Node(id).Chain.Ledger.VoterKeys);
                Assert.True(verified.IsValid, $"seed {seed}: {id}'s chain: {verified.Reason}");
            }
        }
    }

    [Fact]
    public void Accept_OfABlockWithABadSignature_IsAnInvalidBlockNack_WithTheReason()
    {
        var chain = new DecidedChain(Genesis);
        var acceptor = new AcceptorState();
        var ballot = new Ballot(1, "c");
        var forged = WrongKey.Sign(TestChains.Next(Genesis, "c", TestChains.Put("x")));

        var step = acceptor.Handle(new Accept(1, ballot, forged), chain);

        Assert.Equal(new Reject(1, ballot, Ballot.Zero, RejectReason.InvalidBlock), step.Reply);
        Assert.Null(step.Record);
        Assert.Contains("does not verify with the public key of its proposer c", step.Refusal, StringComparison.Ordinal);
        Assert.Null(acceptor.GetAccepted(1));
    }

    [Fact]
    public void Accept_OfAnUnsignedBlock_IsRefused_AndOfASignedOne_Accepted()
    {
        var chain = new DecidedChain(Genesis);
        var unsigned = TestChains.Next(Genesis, "a", TestChains.Put("x"));

        var refused = new AcceptorState().Handle(new Accept(1, new Ballot(1, "a"), unsigned), chain);
        var accepted = new AcceptorState().Handle(new Accept(1, new Ballot(1, "a"), Keys["a"].Sign(unsigned)), chain);

        Assert.Contains("carries no signature", refused.Refusal, StringComparison.Ordinal);
        Assert.IsType<Accepted>(accepted.Reply);
        Assert.Null(accepted.Refusal);
    }

    [Fact]
    public void DecidedOrCaughtUpBlock_WithABadSignature_IsNotAppended()
    {
        var node = new ConsensusNode(Options("a", Keys["a"]), [Genesis], [], ["b", "c"], new Random(1), 0);
        var forged = WrongKey.Sign(TestChains.Next(Genesis, "b", TestChains.Put("x")));

        node.Receive("b", new Decided(1, forged), 1);
        node.Receive("b", new ConsensusProtocol.CatchUpBlocks(1, [forged], 1), 2);

        Assert.Equal(0, node.Head);
        node.Receive("b", new Decided(1, Keys["b"].Sign(forged.WithSignature(ReadOnlyMemory<byte>.Empty))), 3);
        Assert.Equal(1, node.Head);
    }

    [Fact]
    public void NodeWithoutAKey_InASignedChain_DoesNotPropose_ButItsEntriesAreDecidedByTheVoters()
    {
        var sim = new SimCluster(7, Genesis, Ids, id => Options(id, id == "c" ? null : Keys[id]));
        sim.Submit("c", TestChains.Put("from-c"));

        Assert.True(sim.RunUntil(() => sim.Recorder.Acknowledged.ContainsKey("from-c") && sim.AllHeadsEqual(), 5_000), "c's entry was not decided by a or b");
        Assert.Equal(0, sim.Node("c").AttemptsStarted);
        sim.AssertConverged();
    }

    [Fact]
    public void SignedProposer_SignsItsCandidate_WithItsKey()
    {
        var sim = new SimCluster(3, Genesis, Ids, id => Options(id, Keys[id]));
        sim.Submit("b", TestChains.Put("signed"));

        Assert.True(sim.RunUntil(() => sim.Recorder.Acknowledged.ContainsKey("signed"), 5_000));
        var block = sim.Journal("b")[(int)sim.Recorder.Acknowledged["signed"].Height];
        Assert.True(Keys[block.Header.Proposer].PublicKey.Verify(block.Hash, block.Signature.Span));
    }
}
