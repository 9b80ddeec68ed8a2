namespace ActorChain.Remote.Faults;

/// <summary>The switchboard tests (and the multi-node harness) use to break links on purpose.</summary>
public interface IFaultInjector
{
    /// <summary>Replaces the fault on the link to <paramref name="remoteNodeId"/> in the given direction(s).</summary>
    void Set(string remoteNodeId, FaultDirection direction, LinkFault fault);

    /// <summary>Restores pass-through on both directions of the link to <paramref name="remoteNodeId"/>.</summary>
    void Heal(string remoteNodeId);

    void HealAll();
}
