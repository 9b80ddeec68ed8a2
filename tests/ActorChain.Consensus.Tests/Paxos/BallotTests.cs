using ActorChain.Consensus.Paxos;

namespace ActorChain.Consensus.Tests.Paxos;

public sealed class BallotTests
{
    [Fact]
    public void Ballots_OrderByRoundFirst_ThenByOrdinalNodeId()
    {
        Assert.True(new Ballot(2, "a") > new Ballot(1, "z"));
        Assert.True(new Ballot(1, "b") > new Ballot(1, "a"));
        Assert.True(new Ballot(1, "B") < new Ballot(1, "a"));
        Assert.Equal(0, new Ballot(3, "n").CompareTo(new Ballot(3, "n")));
    }

    [Fact]
    public void Zero_IsBelowEveryProposerBallot()
    {
        Assert.True(Ballot.Zero < new Ballot(1, "a"));
        Assert.True(Ballot.Zero < new Ballot(0, "a"));
        Assert.True(Ballot.Zero.IsZero);
    }
}
