using ActorChain.Actors;

namespace ActorChain.Cluster;

/// <summary>
/// A node's address plus the random id of this incarnation, so a restarted node at the same
/// address is a new member and cannot inherit the old one's state (Akka's UniqueAddress).
/// </summary>
public sealed record UniqueAddress(Address Address, long Uid) : IComparable<UniqueAddress>
{
    /// <summary>The node id used in vector clocks and logs: <c>host:port#uid</c>.</summary>
    public string NodeId => $"{Address.Host}:{Address.Port}#{Uid}";

    public int CompareTo(UniqueAddress? other)
    {
        if (other is null)
        {
            return 1;
        }

        var byAddress = AddressOrdering.Instance.Compare(Address, other.Address);
        return byAddress != 0 ? byAddress : Uid.CompareTo(other.Uid);
    }

    public override string ToString() => $"{Address}#{Uid}";
}

/// <summary>Akka's member ordering: by host, then port, then system name; it picks the even-split winner.</summary>
public sealed class AddressOrdering : IComparer<Address>
{
    public static readonly AddressOrdering Instance = new();

    private AddressOrdering()
    {
    }

    public int Compare(Address? x, Address? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        var host = string.CompareOrdinal(x.Host, y.Host);
        if (host != 0)
        {
            return host;
        }

        var port = Nullable.Compare(x.Port, y.Port);
        return port != 0 ? port : string.CompareOrdinal(x.System, y.System);
    }
}
