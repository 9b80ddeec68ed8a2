using ActorChain.Chain;
using ActorChain.Consensus.Paxos;
using static ActorChain.Consensus.Paxos.PaxosProtocol;

namespace ActorChain.Consensus.Tests.Paxos;

public sealed class ProposerAttemptTests
{
    private static readonly string[] Voters = ["a", "b", "c", "d", "e"];
    private static readonly Block Previous = TestChains.Chain(TestChains.Genesis(Voters), 1)[^1];
    private static readonly Ballot Mine = new(5, "a");
    private static readonly Block Ours = TestChains.Next(Previous, "a", TestChains.Put("ours"));
    private static readonly Block Theirs = TestChains.Next(Previous, "b", TestChains.Put("theirs"));
    private static readonly Block Older = TestChains.Next(Previous, "c", TestChains.Put("older"));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(5, 3)]
    [InlineData(7, 4)]
    public void Quorum_IsHalfTheVotersPlusOne(int voters, int quorum)
    {
        var attempt = new ProposerAttempt(Previous, Mine, Enumerable.Range(0, voters).Select(i => $"v{i}").ToList(), _ => Ours);

        Assert.Equal(quorum, attempt.Quorum);
    }

    [Fact]
    public void Start_SendsPrepareForTheNextHeightToEveryVoter()
    {
        var step = Attempt().Start();

        Assert.Equal(Voters, step.Messages.Select(m => m.To));
        Assert.All(step.Messages, m => Assert.Equal(new Prepare(2, Mine), m.Message));
    }

    [Fact]
    public void QuorumOfEmptyPromises_SendsOurCandidateToEveryVoter()
    {
        var attempt = Started();
        Assert.Empty(attempt.Handle("a", Promise()).Messages);
        Assert.Empty(attempt.Handle("b", Promise()).Messages);

        var step = attempt.Handle("c", Promise());

        Assert.Equal(AttemptPhase.Accepting, attempt.Phase);
        Assert.Equal(Voters, step.Messages.Select(m => m.To));
        Assert.All(step.Messages, m => Assert.Equal(new Accept(2, Mine, Ours, PrepareNext: true), m.Message));
    }

    [Fact]
    public void QuorumOfPromises_CarryingAcceptedBlocks_AdoptsTheOneWithTheHighestBallotAndNeverBuilds()
    {
        var built = false;
        var attempt = new ProposerAttempt(Previous, Mine, Voters, _ =>
        {
            built = true;
            return Ours;
        });
        attempt.Start();
        attempt.Handle("a", Promise(new Ballot(2, "c"), Older));
        attempt.Handle("b", Promise(new Ballot(3, "b"), Theirs));

        var step = attempt.Handle("c", Promise());

        Assert.False(built);
        Assert.Same(Theirs, attempt.Proposed);
        Assert.All(step.Messages, m => Assert.Equal(new Accept(2, Mine, Theirs, PrepareNext: true), m.Message));
    }

    [Fact]
    public void DuplicatePromisesFromOneVoter_CountOnce()
    {
        var attempt = Started();
        attempt.Handle("a", Promise());
        attempt.Handle("a", Promise());
        attempt.Handle("a", Promise());

        Assert.Equal(AttemptPhase.Preparing, attempt.Phase);
    }

    [Fact]
    public void RepliesFromNonVotersOrForAnotherBallotOrHeight_AreIgnored()
    {
        var attempt = Started();
        attempt.Handle("x", Promise());
        attempt.Handle("y", Promise());
        attempt.Handle("b", new Promise(2, new Ballot(4, "a"), null, null));
        attempt.Handle("c", new Promise(3, Mine, null, null));
        attempt.Handle("d", new Reject(2, new Ballot(4, "a"), new Ballot(9, "z")));
        attempt.Handle("e", new Reject(2, new Ballot(4, "a"), new Ballot(9, "z")));
        attempt.Handle("a", new Reject(2, new Ballot(4, "a"), new Ballot(9, "z")));

        Assert.Equal(AttemptPhase.Preparing, attempt.Phase);
        Assert.Null(attempt.Outcome);
    }

    [Fact]
    public void QuorumOfAccepted_DecidesAndSendsTheHashToVotersThatAcceptedAndTheBlockToTheOthers()
    {
        var attempt = Accepting();
        attempt.Handle("c", new Accepted(2, Mine));
        attempt.Handle("d", new Accepted(2, Mine));

        var step = attempt.Handle("e", new Accepted(2, Mine));

        Assert.Equal(new AttemptOutcome.Decided(Ours, Adopted: false), step.Outcome);
        Assert.Equal(Voters, step.Messages.Select(m => m.To));
        Assert.All(step.Messages.Where(m => m.To is "c" or "d" or "e"), m => Assert.Equal(new Chosen(2, Mine, Ours.Hash), m.Message));
        Assert.All(step.Messages.Where(m => m.To is "a" or "b"), m => Assert.Equal(new Decided(2, Ours), m.Message));
    }

    [Fact]
    public void LessThanAQuorumOfAccepted_DecidesNothing()
    {
        var attempt = Accepting();
        attempt.Handle("c", new Accepted(2, Mine));
        attempt.Handle("d", new Accepted(2, Mine));
        attempt.Handle("d", new Accepted(2, Mine));

        Assert.Null(attempt.Outcome);
    }

    [Fact]
    public void Nacks_ReachingVotersMinusQuorumPlusOne_FailWithTheHighestBallotSeen()
    {
        var attempt = Started();
        attempt.Handle("a", new Reject(2, Mine, new Ballot(7, "b")));
        var afterTwo = attempt.Handle("b", new Behind(2, Mine, 0));
        Assert.Null(afterTwo.Outcome);

        var step = attempt.Handle("c", new Reject(2, Mine, new Ballot(9, "c")));

        var failed = Assert.IsType<AttemptOutcome.Failed>(step.Outcome);
        Assert.Equal(new Ballot(9, "c"), failed.HighestBallot);
        Assert.False(failed.TimedOut);
        Assert.Null(failed.LearnedBlock);
    }

    [Fact]
    public void Nacks_InTheAcceptPhase_FailTheAttemptToo()
    {
        var attempt = Accepting();
        attempt.Handle("c", new Reject(2, Mine, new Ballot(8, "d")));
        attempt.Handle("d", new Reject(2, Mine, new Ballot(8, "d")));

        var step = attempt.Handle("e", new Reject(2, Mine, new Ballot(8, "d")));

        Assert.IsType<AttemptOutcome.Failed>(step.Outcome);
    }

    [Fact]
    public void AlreadyDecided_FailsAtOnceAndReportsTheDecidedBlock()
    {
        var step = Started().Handle("d", new AlreadyDecided(2, Theirs));

        var failed = Assert.IsType<AttemptOutcome.Failed>(step.Outcome);
        Assert.Same(Theirs, failed.LearnedBlock);
    }

    [Fact]
    public void Timeout_FailsAsTimedOutAndLaterRepliesChangeNothing()
    {
        var attempt = Started();

        var step = attempt.Timeout();
        var late = attempt.Handle("a", Promise());

        Assert.True(Assert.IsType<AttemptOutcome.Failed>(step.Outcome).TimedOut);
        Assert.Equal(AttemptStep.None, late);
        Assert.Equal(AttemptPhase.Failed, attempt.Phase);
    }

    [Fact]
    public void Decision_WhenTheQuorumAlsoPromisedTheNextHeight_HoldsPhase1ThereWithTheHighestReportedBlock()
    {
        var attempt = Accepting();
        var next = TestChains.Next(Ours, "d", TestChains.Put("next"));
        attempt.Handle("a", new Accepted(2, Mine, new NextPromise(null, null)));
        attempt.Handle("b", new Accepted(2, Mine, new NextPromise(new Ballot(4, "d"), next)));

        var step = attempt.Handle("c", new Accepted(2, Mine, new NextPromise(null, null)));

        var decided = Assert.IsType<AttemptOutcome.Decided>(step.Outcome);
        Assert.NotNull(decided.Next);
        Assert.Equal(3, decided.Next.Height);
        Assert.Equal(Mine, decided.Next.Ballot);
        Assert.Same(next, decided.Next.Adopt);
    }

    [Fact]
    public void Decision_WhenOnlyAMinorityPromisedTheNextHeight_HoldsNoPhase1There()
    {
        var attempt = Accepting();
        attempt.Handle("a", new Accepted(2, Mine, new NextPromise(null, null)));
        attempt.Handle("b", new Accepted(2, Mine));

        var step = attempt.Handle("c", new Accepted(2, Mine, new NextPromise(null, null)));

        Assert.Null(Assert.IsType<AttemptOutcome.Decided>(step.Outcome).Next);
    }

    [Fact]
    public void PreparedAttempt_SkipsPhase1AndProposesTheReportedBlockInsteadOfBuilding()
    {
        var built = false;
        var prepared = new PreparedHeight(2, Mine, Voters.ToHashSet(), Theirs);
        var attempt = ProposerAttempt.FromPrepared(Previous, prepared, Voters, _ =>
        {
            built = true;
            return Ours;
        });

        var step = attempt.Start();

        Assert.False(built);
        Assert.Equal(AttemptPhase.Accepting, attempt.Phase);
        Assert.All(step.Messages, m => Assert.Equal(new Accept(2, Mine, Theirs, PrepareNext: true), m.Message));
    }

    [Fact]
    public void PreparedAttempt_ForAnotherVoterSet_IsRefused()
    {
        var prepared = new PreparedHeight(2, Mine, new HashSet<string> { "a", "b", "c" }, null);

        Assert.Throws<ArgumentException>(() => ProposerAttempt.FromPrepared(Previous, prepared, Voters, _ => Ours));
    }

    private static ProposerAttempt Attempt() => new(Previous, Mine, Voters, _ => Ours);

    private static ProposerAttempt Started()
    {
        var attempt = Attempt();
        attempt.Start();
        return attempt;
    }

    private static ProposerAttempt Accepting()
    {
        var attempt = Started();
        foreach (var voter in Voters.Take(3))
        {
            attempt.Handle(voter, Promise());
        }

        Assert.Equal(AttemptPhase.Accepting, attempt.Phase);
        return attempt;
    }

    private static Promise Promise(Ballot? accepted = null, Block? block = null) => new(2, Mine, accepted, block);
}
