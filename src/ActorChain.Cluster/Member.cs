namespace ActorChain.Cluster;

/// <summary>Lifecycle of a member. The numeric order is NOT the merge precedence; see <see cref="Member.Precedence"/>.</summary>
public enum MemberStatus
{
    Joining,
    Up,
    Leaving,
    Exiting,
    Down,
    Removed,
}

public sealed record Member(UniqueAddress UniqueAddress, MemberStatus Status) : IComparable<Member>
{
    public Actors.Address Address => UniqueAddress.Address;

    /// <summary>
    /// Akka's merge precedence (Removed &gt; Down &gt; Exiting &gt; Leaving &gt; Up &gt; Joining): two views
    /// of one member merge to the later of the two states, whichever side saw it first.
    /// </summary>
    public static int Precedence(MemberStatus status) => status switch
    {
        MemberStatus.Joining => 0,
        MemberStatus.Up => 1,
        MemberStatus.Leaving => 2,
        MemberStatus.Exiting => 3,
        MemberStatus.Down => 4,
        MemberStatus.Removed => 5,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static Member HighestPriorityOf(Member a, Member b) =>
        Precedence(b.Status) > Precedence(a.Status) ? b : a;

    public Member WithStatus(MemberStatus status) => this with { Status = status };

    public int CompareTo(Member? other) => other is null ? 1 : UniqueAddress.CompareTo(other.UniqueAddress);

    public override string ToString() => $"Member({UniqueAddress}, {Status})";
}
