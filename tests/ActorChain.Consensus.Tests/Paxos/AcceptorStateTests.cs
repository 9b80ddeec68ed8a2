using ActorChain.Chain;
using ActorChain.Consensus.Paxos;
using static ActorChain.Consensus.Paxos.PaxosProtocol;

namespace ActorChain.Consensus.Tests.Paxos;

public sealed class AcceptorStateTests
{
    private static readonly Block Genesis = TestChains.Genesis("a", "b", "c");
    private static readonly List<Block> Blocks = TestChains.Chain(Genesis, 2);
    private static readonly FakeChain Chain = new(Blocks);
    private static readonly Block Candidate = TestChains.Next(Blocks[^1], "a", TestChains.Put("x"));
    private static readonly Block Other = TestChains.Next(Blocks[^1], "b", TestChains.Put("y"));
    private static readonly Ballot B1 = new(1, "a");
    private static readonly Ballot B2 = new(2, "b");

    [Fact]
    public void Prepare_WithHigherBallot_IsPromisedAndPersisted()
    {
        var acceptor = new AcceptorState();

        var step = acceptor.Handle(new Prepare(3, B1), Chain);

        Assert.Equal(new Promise(3, B1, null, null), step.Reply);
        Assert.Equal(AcceptorRecord.Promised(3, B1), step.Record);
        Assert.Equal(B1, acceptor.GetPromised(3));
    }

    [Fact]
    public void Accept_AskingToPrepareNext_AlsoPromisesTheBallotAtTheNextHeightAndPersistsBoth()
    {
        var acceptor = new AcceptorState();

        var step = acceptor.Handle(new Accept(3, B1, Candidate, PrepareNext: true), Chain);

        Assert.Equal(new Accepted(3, B1, new NextPromise(null, null)), step.Reply);
        Assert.Equal(AcceptorRecord.Accepted(3, B1, Candidate), step.Record);
        Assert.Equal(AcceptorRecord.Promised(4, B1), step.NextRecord);
        Assert.Equal(B1, acceptor.GetPromised(4));
        Assert.IsType<Reject>(acceptor.Handle(new Prepare(4, new Ballot(1, "0")), new FakeChain([.. Blocks, Candidate])).Reply);
    }

    [Fact]
    public void Accept_AskingToPrepareNext_BelowAHigherPromiseThere_IsAcceptedButPromisesNothingAtTheNextHeight()
    {
        var higher = new Ballot(9, "c");
        var restored = AcceptorState.Restore([AcceptorRecord.Promised(4, higher)], "z");
        var step = restored.Handle(new Accept(3, B1, Candidate, PrepareNext: true), Chain);

        Assert.Equal(new Accepted(3, B1), step.Reply);
        Assert.Null(step.NextRecord);
        Assert.Equal(higher, restored.GetPromised(4));
    }

    [Fact]
    public void Prepare_WithLowerBallot_IsRejectedWithThePromisedBallot()
    {
        var acceptor = new AcceptorState();
        acceptor.Handle(new Prepare(3, B2), Chain);

        var step = acceptor.Handle(new Prepare(3, B1), Chain);

        Assert.Equal(new Reject(3, B1, B2), step.Reply);
        Assert.Null(step.Record);
    }

    [Fact]
    public void Prepare_RepeatedWithThePromisedBallot_IsPromisedAgainWithoutANewRecord()
    {
        var acceptor = new AcceptorState();
        acceptor.Handle(new Prepare(3, B1), Chain);

        var step = acceptor.Handle(new Prepare(3, B1), Chain);

        Assert.IsType<Promise>(step.Reply);
        Assert.Null(step.Record);
    }

    [Fact]
    public void Prepare_AfterAnAccept_CarriesTheAcceptedBallotAndBlock()
    {
        var acceptor = new AcceptorState();
        acceptor.Handle(new Accept(3, B1, Candidate), Chain);

        var promise = Assert.IsType<Promise>(acceptor.Handle(new Prepare(3, B2), Chain).Reply);

        Assert.Equal(B1, promise.AcceptedBallot);
        Assert.Same(Candidate, promise.AcceptedBlock);
    }

    [Fact]
    public void Prepare_ForADecidedHeight_AnswersAlreadyDecidedWithTheDecidedBlock()
    {
        var step = new AcceptorState().Handle(new Prepare(2, B1), Chain);

        Assert.Equal(new AlreadyDecided(2, Blocks[2]), step.Reply);
        Assert.Null(step.Record);
    }

    [Fact]
    public void Prepare_AboveTheNextHeight_AnswersBehindWithTheHead()
    {
        var step = new AcceptorState().Handle(new Prepare(5, B1), Chain);

        Assert.Equal(new Behind(5, B1, 2), step.Reply);
    }

    [Fact]
    public void Accept_WithLowerBallot_IsRejected()
    {
        var acceptor = new AcceptorState();
        acceptor.Handle(new Prepare(3, B2), Chain);

        var step = acceptor.Handle(new Accept(3, B1, Candidate), Chain);

        Assert.Equal(new Reject(3, B1, B2), step.Reply);
        Assert.Null(acceptor.GetAccepted(3));
    }

    [Fact]
    public void Accept_AtThePromisedBallot_WithAValidBlock_IsAcceptedAndPersistedWithTheBlock()
    {
        var acceptor = new AcceptorState();
        acceptor.Handle(new Prepare(3, B1), Chain);

        var step = acceptor.Handle(new Accept(3, B1, Candidate), Chain);

        Assert.Equal(new Accepted(3, B1), step.Reply);
        Assert.Equal(AcceptorRecord.Accepted(3, B1, Candidate), step.Record);
        Assert.Equal((B1, Candidate), acceptor.GetAccepted(3));
    }

    [Fact]
    public void Accept_OfABlockNotLinkingToTheLocalPreviousBlock_IsRejectedAsInvalid()
    {
        var wrongLink = Block.Create(3, Blocks[1].Hash, 0, "a", [TestChains.Put("x")]);

        var reject = Assert.IsType<Reject>(new AcceptorState().Handle(new Accept(3, B1, wrongLink), Chain).Reply);

        Assert.Equal(RejectReason.InvalidBlock, reject.Reason);
    }

    [Fact]
    public void Accept_OfABlockForAnotherHeight_IsRejectedAsInvalid()
    {
        var reject = Assert.IsType<Reject>(new AcceptorState().Handle(new Accept(3, B1, Blocks[2]), Chain).Reply);

        Assert.Equal(RejectReason.InvalidBlock, reject.Reason);
    }

    [Fact]
    public void Accept_OfATamperedBlock_IsRejectedAsInvalid()
    {
        var tampered = new Block(Candidate.Header, [TestChains.Put("other")], Candidate.Hash, default);

        var reject = Assert.IsType<Reject>(new AcceptorState().Handle(new Accept(3, B1, tampered), Chain).Reply);

        Assert.Equal(RejectReason.InvalidBlock, reject.Reason);
    }

    [Fact]
    public void Accept_OfADifferentBlockUnderTheSameBallot_IsRejected()
    {
        var acceptor = new AcceptorState();
        acceptor.Handle(new Accept(3, B1, Candidate), Chain);

        var step = acceptor.Handle(new Accept(3, B1, Other), Chain);

        Assert.IsType<Reject>(step.Reply);
        Assert.Same(Candidate, acceptor.GetAccepted(3)!.Value.Block);
    }

    [Fact]
    public void Accept_Repeated_IsAckedAgainWithoutANewRecord()
    {
        var acceptor = new AcceptorState();
        acceptor.Handle(new Accept(3, B1, Candidate), Chain);

        var step = acceptor.Handle(new Accept(3, B1, Candidate), Chain);

        Assert.Equal(new Accepted(3, B1), step.Reply);
        Assert.Null(step.Record);
    }

    [Fact]
    public void Accept_WithAHigherBallot_ReplacesAnEarlierAcceptance()
    {
        var acceptor = new AcceptorState();
        acceptor.Handle(new Accept(3, B1, Candidate), Chain);

        acceptor.Handle(new Accept(3, B2, Other), Chain);

        Assert.Equal((B2, Other), acceptor.GetAccepted(3));
    }

    [Fact]
    public void Accept_ForADecidedHeight_AnswersAlreadyDecided()
    {
        var step = new AcceptorState().Handle(new Accept(1, B1, Blocks[1]), Chain);

        Assert.Equal(new AlreadyDecided(1, Blocks[1]), step.Reply);
    }

    [Fact]
    public void Restore_FromTheRecordsHandOut_KeepsPromisesAndAcceptances()
    {
        var acceptor = new AcceptorState();
        var records = new List<AcceptorRecord>();
        foreach (IPaxosMessage message in new IPaxosMessage[] { new Accept(3, B1, Candidate), new Prepare(3, B2) })
        {
            var step = message is Prepare p ? acceptor.Handle(p, Chain) : acceptor.Handle((Accept)message, Chain);
            records.Add(step.Record!);
        }

        var restored = AcceptorState.Restore(records.Select(r => AcceptorRecord.Decode(r.Encode())), "c");

        Assert.Equal(B2, restored.GetPromised(3));
        Assert.IsType<Reject>(restored.Handle(new Prepare(3, B1), Chain).Reply);
        var promise = Assert.IsType<Promise>(restored.Handle(new Prepare(3, new Ballot(3, "a")), Chain).Reply);
        Assert.Equal(B1, promise.AcceptedBallot);
        Assert.Equal(Candidate.Hash, promise.AcceptedBlock!.Hash);
    }

    [Fact]
    public void NextBallot_AfterRestore_IsAboveEveryRoundTheNodeUsedBefore()
    {
        var acceptor = new AcceptorState();
        var (first, record1) = acceptor.NextBallot("a", atLeastAbove: 0);
        var (second, record2) = acceptor.NextBallot("a", atLeastAbove: 7);

        var restored = AcceptorState.Restore([record1, record2], "a");
        var (third, _) = restored.NextBallot("a", atLeastAbove: 0);

        Assert.True(first < second);
        Assert.Equal(8, second.Round);
        Assert.True(third > second, $"{third} must be above {second}");
    }

    [Fact]
    public void Prune_ForgetsDecidedHeightsAndKeepsOpenOnes()
    {
        var acceptor = new AcceptorState();
        acceptor.Handle(new Prepare(3, B1), Chain);

        acceptor.Prune(2);
        Assert.Equal(1, acceptor.OpenHeights);
        acceptor.Prune(3);

        Assert.Equal(0, acceptor.OpenHeights);
        Assert.Equal(Ballot.Zero, acceptor.GetPromised(3));
    }

    [Fact]
    public void Snapshot_RestoresTheSameStateAndOwnRound()
    {
        var acceptor = new AcceptorState();
        acceptor.NextBallot("c", atLeastAbove: 4);
        acceptor.Handle(new Accept(3, B1, Candidate), Chain);
        acceptor.Handle(new Prepare(3, B2), Chain);

        var restored = AcceptorState.Restore(acceptor.Snapshot("c"), "c");

        Assert.Equal(B2, restored.GetPromised(3));
        Assert.Equal(B1, restored.GetAccepted(3)!.Value.Ballot);
        Assert.Equal(acceptor.HighestOwnRound, restored.HighestOwnRound);
    }
}
