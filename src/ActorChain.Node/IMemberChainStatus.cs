using ActorChain.Cluster;

namespace ActorChain.Node;

/// <summary>What a member's chain looks like, for <c>GET /api/cluster/members</c>.</summary>
internal readonly record struct MemberChainStatus(bool Voter, long Height, string? HeadHash)
{
    /// <summary>Nothing known about the member's chain: not a voter, height -1, no head.</summary>
    public static MemberChainStatus Unknown { get; } = new(false, -1, null);
}

/// <summary>
/// The seam the consensus layer implements to report voters, heights and heads beside membership.
/// Called per member on every request: answer from state already held, never by asking peers.
/// </summary>
internal interface IMemberChainStatus
{
    MemberChainStatus Describe(string? nodeId, Member member);
}

internal sealed class UnknownMemberChainStatus : IMemberChainStatus
{
    public static UnknownMemberChainStatus Instance { get; } = new();

    public MemberChainStatus Describe(string? nodeId, Member member) => MemberChainStatus.Unknown;
}
