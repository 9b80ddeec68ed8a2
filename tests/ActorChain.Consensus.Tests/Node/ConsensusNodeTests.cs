using ActorChain.Chain;
using ActorChain.Consensus.Node;
using ActorChain.Consensus.Paxos;
using ActorChain.Consensus.Tests.Simulation;
using static ActorChain.Consensus.Node.ConsensusEffect;

namespace ActorChain.Consensus.Tests.Node;

public sealed class ConsensusNodeTests
{
    private static readonly Block Genesis = TestChains.Genesis("a", "b", "c");

    [Fact]
    public void Submit_OfAnIdAlreadyInTheChain_CommitsAtOnceWithItsOriginalLocation()
    {
        var chain = TestChains.Chain(Genesis, 3);
        var node = NewNode("a", chain);

        var effects = node.Submit(TestChains.Put("pre-2", value: "a retry"), 10);

        var committed = Assert.IsType<EntryCommitted>(Assert.Single(effects));
        Assert.Equal(("pre-2", 2L, chain[2].Hash), (committed.EntryId, committed.Height, committed.BlockHash));
        Assert.Equal(0, node.MempoolCount);
    }

    [Fact]
    public void Submit_WhenTheMempoolIsFull_IsRejectedWithTheReason()
    {
        var node = NewNode("a", [Genesis], o => o with { MempoolMaxEntries = 1 });
        node.Submit(TestChains.Put("first"), 0);

        var effects = node.Submit(TestChains.Put("second"), 0);

        var rejected = Assert.IsType<SubmissionRejected>(Assert.Single(effects));
        Assert.Equal("second", rejected.EntryId);
        Assert.Contains("mempool is full", rejected.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Submit_StartsAnAttempt_PersistingTheRoundBeforeSendingPrepare()
    {
        var node = NewNode("a", [Genesis]);

        var effects = node.Submit(TestChains.Put("x"), 0);

        var round = Assert.IsType<PersistAcceptor>(effects[0]);
        Assert.Equal(AcceptorRecordKind.RoundUsed, round.Record.Kind);
        var prepares = effects.OfType<Send>().Where(s => s.Message is PaxosProtocol.Prepare).ToList();
        Assert.Equal(["b", "c"], prepares.Select(p => p.To));
        Assert.All(prepares, p => Assert.Equal(new PaxosProtocol.Prepare(1, round.Record.Ballot), p.Message));
        Assert.True(node.IsProposing);
    }

    [Fact]
    public void Submit_OfAnEntryAPeerForwarded_MakesItLocalWorkAndStartsAnAttemptAtOnce()
    {
        var node = NewNode("a", [Genesis]);
        var forwarded = node.Receive("b", new ConsensusProtocol.MempoolForward([TestChains.Put("x")]), 0);
        Assert.False(node.IsProposing);

        var effects = node.Submit(TestChains.Put("x"), 0);

        Assert.True(node.IsProposing);
        Assert.Contains(effects, e => e is Send { Message: PaxosProtocol.Prepare });
        Assert.Equal(1, node.MempoolCount);
        Assert.Empty(forwarded);
    }

    [Fact]
    public void SingleVoter_DecidesInOneCall_PersistingEveryRecordBeforeAppendingAndAppendingBeforeAnsweringTheClient()
    {
        var node = NewNode("a", [TestChains.Genesis("a")]);

        var effects = node.Submit(TestChains.Put("x"), 0).ToList();

        var lastPersist = effects.FindLastIndex(e => e is PersistAcceptor);
        var append = effects.FindIndex(e => e is AppendBlock);
        var commit = effects.FindIndex(e => e is EntryCommitted);
        Assert.True(lastPersist >= 0 && lastPersist < append && append < commit, string.Join(", ", effects.Select(e => e.GetType().Name)));
        Assert.Contains(effects, e => e is PersistAcceptor { Record.Kind: AcceptorRecordKind.Accepted });
        Assert.Equal(1, node.Head);
    }

    [Fact]
    public void Receive_Prepare_PersistsThePromiseBeforeReplying()
    {
        var node = NewNode("b", [Genesis]);
        var ballot = new Ballot(1, "a");

        var effects = node.Receive("a", new PaxosProtocol.Prepare(1, ballot), 0);

        Assert.Equal(new PersistAcceptor(AcceptorRecord.Promised(1, ballot)), effects[0]);
        Assert.Equal(new Send("a", new PaxosProtocol.Promise(1, ballot, null, null)), effects[1]);
    }

    [Fact]
    public void Receive_DecidedBlocksOutOfOrder_AppendsThemInHeightOrderAndAsksForTheGap()
    {
        var chain = TestChains.Chain(Genesis, 2);
        var node = NewNode("c", [Genesis]);

        var early = node.Receive("a", new PaxosProtocol.Decided(2, chain[2]), 0);
        Assert.Contains(early, e => e is Send { To: "a", Message: ConsensusProtocol.CatchUpRequest { FromHeight: 1 } });
        Assert.Equal(0, node.Head);
        Assert.Equal(1, node.BufferedCount);

        var effects = node.Receive("b", new PaxosProtocol.Decided(1, chain[1]), 0);

        Assert.Equal([1L, 2L], effects.OfType<AppendBlock>().Select(a => a.Block.Height));
        Assert.Equal(2, node.Head);
    }

    [Fact]
    public void Receive_CatchUpBlocksWithABrokenLink_AppendsOnlyTheValidPrefix()
    {
        var chain = TestChains.Chain(Genesis, 3);
        var forged = Block.Create(3, chain[1].Hash, 0, "x", [TestChains.Put("forged")]);
        var node = NewNode("c", [Genesis]);

        node.Receive("a", new ConsensusProtocol.CatchUpBlocks(1, [chain[1], chain[2], forged], 3), 0);

        Assert.Equal(2, node.Head);
        Assert.Equal(chain[2].Hash, node.Chain.HeadBlock.Hash);
    }

    [Fact]
    public void Receive_ChosenForTheBlockAcceptedHere_AppendsItAndForAnotherHashFetchesTheHeight()
    {
        var genesis = TestChains.Genesis("a", "b", "c");
        var chain = TestChains.Chain(genesis, 1);
        var other = TestChains.Next(genesis, "b", TestChains.Put("other"));
        var ballot = new Ballot(1, "a");

        var node = new ConsensusNode(new ConsensusOptions { NodeId = "c" }, [genesis], [], ["a", "b"], new Random(1), 0);
        node.Receive("a", new PaxosProtocol.Accept(1, ballot, chain[1]), 0);
        var effects = node.Receive("a", new PaxosProtocol.Chosen(1, ballot, chain[1].Hash), 0);

        Assert.Equal(chain[1].Hash, Assert.Single(effects.OfType<ConsensusEffect.AppendBlock>()).Block.Hash);
        Assert.Equal("a", node.Leader);

        var elsewhere = new ConsensusNode(new ConsensusOptions { NodeId = "c" }, [genesis], [], ["a", "b"], new Random(1), 0);
        elsewhere.Receive("a", new PaxosProtocol.Accept(1, ballot, other), 0);
        var fetch = elsewhere.Receive("b", new PaxosProtocol.Chosen(1, new Ballot(2, "b"), chain[1].Hash), 0);

        Assert.Empty(fetch.OfType<ConsensusEffect.AppendBlock>());
        Assert.Contains(fetch.OfType<ConsensusEffect.Send>(), s => s.To == "b" && s.Message is ConsensusProtocol.CatchUpRequest { FromHeight: 1 });
    }

    [Fact]
    public void Submit_OfSeveralEntriesAtAFollower_ForwardsThemToTheLeaderInOneMessage_AndToTheOthersOnlyOnceThePatienceRunsOut()
    {
        var chain = TestChains.Chain(Genesis, 1);
        var ballot = new Ballot(1, "a");
        var node = NewNode("c", [Genesis]);
        node.Receive("a", new PaxosProtocol.Accept(1, ballot, chain[1]), 0);
        node.Receive("a", new PaxosProtocol.Chosen(1, ballot, chain[1].Hash), 0);
        Assert.Equal("a", node.Leader);

        var effects = node.Submit([TestChains.Put("x"), TestChains.Put("y"), TestChains.Put("z")], 1);

        var forward = Assert.Single(effects.OfType<Send>(), s => s.Message is ConsensusProtocol.MempoolForward);
        Assert.Equal("a", forward.To);
        Assert.Equal(["x", "y", "z"], ((ConsensusProtocol.MempoolForward)forward.Message).Entries.Select(e => e.Id));
        Assert.Equal(3, node.WaitingCount);

        // The leader has them: the next tick gossips nothing; still pending after the leader patience, they go to b.
        Assert.DoesNotContain(node.Tick(2).OfType<Send>(), s => s.Message is ConsensusProtocol.MempoolForward);
        var overdue = node.Tick(2 + SimCluster.DefaultOptions("c").LeaderPatienceMs).OfType<Send>().Where(s => s.Message is ConsensusProtocol.MempoolForward).ToList();
        Assert.Equal(["b"], overdue.Select(s => s.To));
        Assert.Equal(["x", "y", "z"], ((ConsensusProtocol.MempoolForward)overdue[0].Message).Entries.Select(e => e.Id));
    }

    [Fact]
    public void EntriesForwardedToTheLeader_AndDecidedWithinThePatience_AreNeverGossiped()
    {
        var chain = TestChains.Chain(Genesis, 1);
        var ballot = new Ballot(1, "a");
        var node = NewNode("c", [Genesis]);
        node.Receive("a", new PaxosProtocol.Accept(1, ballot, chain[1]), 0);
        node.Receive("a", new PaxosProtocol.Chosen(1, ballot, chain[1].Hash), 0);
        var x = TestChains.Put("x");
        node.Submit([x], 1);
        node.Tick(2);

        node.Receive("a", new PaxosProtocol.Decided(2, TestChains.Next(chain[1], "a", x)), 3);

        Assert.Equal(0, node.MempoolCount);
        Assert.DoesNotContain(node.Tick(3 + SimCluster.DefaultOptions("c").LeaderPatienceMs).OfType<Send>(), s => s.Message is ConsensusProtocol.MempoolForward);
    }

    [Fact]
    public void Tick_WithNoLeaderKnown_GossipsNewEntriesToEveryPeerAtOnce()
    {
        var node = NewNode("c", [Genesis]);
        Assert.Null(node.Leader);

        node.Submit([TestChains.Put("x"), TestChains.Put("y")], 1);
        var tick = node.Tick(2).OfType<Send>().Where(s => s.Message is ConsensusProtocol.MempoolForward).ToList();

        Assert.Equal(["a", "b"], tick.Select(s => s.To).Order(StringComparer.Ordinal));
        Assert.All(tick, s => Assert.Equal(["x", "y"], ((ConsensusProtocol.MempoolForward)s.Message).Entries.Select(e => e.Id)));
    }

    [Fact]
    public void Receive_CatchUpRequest_AnswersWithDecidedBlocksFromTheHeightUpToTheBatchSize()
    {
        var chain = TestChains.Chain(Genesis, 10);
        var node = NewNode("a", chain, o => o with { CatchUpBatchBlocks = 4 });

        var reply = Assert.IsType<Send>(Assert.Single(node.Receive("z", new ConsensusProtocol.CatchUpRequest(3, 100), 0)));

        var blocks = Assert.IsType<ConsensusProtocol.CatchUpBlocks>(reply.Message);
        Assert.Equal([3L, 4, 5, 6], blocks.Blocks.Select(b => b.Height));
        Assert.Equal(10, blocks.SenderHead);
    }

    // A node answers clients before its journal has the block, so after a crash its journal may end
    // below a height it accepted (and may have helped choose); the read index must still cover it.
    [Fact]
    public void ReadIndexHeight_AfterARestartWhoseJournalLagsItsAcceptances_CoversTheHighestAcceptedHeight()
    {
        var chain = TestChains.Chain(Genesis, 3);
        var ballot = new Ballot(1, "a");
        AcceptorRecord[] log = [AcceptorRecord.Accepted(2, ballot, chain[2]), AcceptorRecord.Accepted(3, ballot, chain[3])];

        var restarted = new ConsensusNode(SimCluster.DefaultOptions("b"), [.. chain.Take(2)], log, ["a", "c"], new Random(1), 0);

        Assert.Equal(1, restarted.Head);
        Assert.Equal(3, restarted.ReadIndexHeight);
        restarted.Receive("a", new ConsensusProtocol.CatchUpBlocks(2, [chain[2], chain[3]], 3), 0);
        Assert.Equal(3, restarted.ReadIndexHeight);
    }

    [Fact]
    public void Restart_FromTheAcceptorLog_KeepsThePromiseAndNeverReusesARound()
    {
        var log = new List<AcceptorRecord>();
        var node = NewNode("a", [Genesis]);
        Persisted(node.Receive("b", new PaxosProtocol.Prepare(1, new Ballot(4, "b")), 0), log);
        Persisted(node.Submit(TestChains.Put("x"), 0), log);
        var usedRound = log.Last(r => r.Kind == AcceptorRecordKind.RoundUsed).Ballot.Round;

        var restarted = new ConsensusNode(SimCluster.DefaultOptions("a"), [Genesis], log, ["b", "c"], new Random(1), 0);
        var reply = Assert.IsType<Send>(Assert.Single(restarted.Receive("c", new PaxosProtocol.Prepare(1, new Ballot(2, "c")), 0)));
        var effects = restarted.Submit(TestChains.Put("y"), 0);

        Assert.IsType<PaxosProtocol.Reject>(reply.Message);
        Assert.True(Assert.IsType<PersistAcceptor>(effects[0]).Record.Ballot.Round > usedRound);
    }

    [Fact]
    public void AcceptorSnapshot_RestoresThePromisesOfOpenHeightsAndTheOwnRound()
    {
        var node = NewNode("b", [Genesis]);
        node.Receive("a", new PaxosProtocol.Prepare(1, new Ballot(6, "a")), 0);
        var ownRound = Assert.IsType<PersistAcceptor>(node.Submit(TestChains.Put("x"), 0)[0]).Record.Ballot.Round;

        var restarted = new ConsensusNode(SimCluster.DefaultOptions("b"), [Genesis], node.AcceptorSnapshot(), ["a", "c"], new Random(1), 0);

        var reply = Assert.IsType<Send>(Assert.Single(restarted.Receive("c", new PaxosProtocol.Prepare(1, new Ballot(6, "a")), 0)));
        Assert.IsType<PaxosProtocol.Reject>(reply.Message);
        Assert.True(Assert.IsType<PersistAcceptor>(restarted.Submit(TestChains.Put("y"), 0)[0]).Record.Ballot.Round > ownRound);
    }

    private static void Persisted(IReadOnlyList<ConsensusEffect> effects, List<AcceptorRecord> log) =>
        log.AddRange(effects.OfType<PersistAcceptor>().Select(p => p.Record));

    private static ConsensusNode NewNode(string id, IReadOnlyList<Block> chain, Func<ConsensusOptions, ConsensusOptions>? tune = null) =>
        new((tune ?? (o => o))(SimCluster.DefaultOptions(id)), chain, [], ["a", "b", "c"], new Random(1), 0);
}
