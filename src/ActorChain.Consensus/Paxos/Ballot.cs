namespace ActorChain.Consensus.Paxos;

/// <summary>
/// A Paxos ballot: round first, then the proposer's node id (ordinal), so two proposers never
/// share a ballot and every pair of ballots is ordered.
/// </summary>
public readonly record struct Ballot(long Round, string NodeId) : IComparable<Ballot>
{
    /// <summary>Below every ballot a proposer uses (rounds start at 1).</summary>
    public static Ballot Zero => new(0, string.Empty);

    public bool IsZero => Round == 0 && string.IsNullOrEmpty(NodeId);

    public int CompareTo(Ballot other)
    {
        var byRound = Round.CompareTo(other.Round);
        return byRound != 0 ? byRound : string.CompareOrdinal(NodeId ?? string.Empty, other.NodeId ?? string.Empty);
    }

    public static bool operator <(Ballot left, Ballot right) => left.CompareTo(right) < 0;

    public static bool operator >(Ballot left, Ballot right) => left.CompareTo(right) > 0;

    public static bool operator <=(Ballot left, Ballot right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Ballot left, Ballot right) => left.CompareTo(right) >= 0;

    public static Ballot Max(Ballot a, Ballot b) => a >= b ? a : b;

    public override string ToString() => $"{Round}.{NodeId}";
}
