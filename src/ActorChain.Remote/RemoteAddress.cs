using System.Globalization;

namespace ActorChain.Remote;

/// <summary>
/// Where a node listens, as its peers dial it. Compared literally: "localhost:4053" and
/// "127.0.0.1:4053" are different addresses, so every node must advertise the name others use.
/// </summary>
public readonly record struct RemoteAddress
{
    public RemoteAddress(string host, int port)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        RemoteLimits.TextByteCount(host, RemoteLimits.MaxNameBytes, "host name");
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, ushort.MaxValue);
        Host = host;
        Port = port;
    }

    public string Host { get; }

    public int Port { get; }

    /// <summary>Parses "host:port"; IPv6 literals go in brackets ("[::1]:4053").</summary>
    public static RemoteAddress Parse(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            throw new FormatException($"'{text}' is not host:port.");
        }

        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        return new RemoteAddress(host, port);
    }

    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}

/// <summary>A remote node as the handshake proved it: its node id and the address it listens on.</summary>
public readonly record struct PeerId(string NodeId, RemoteAddress Address)
{
    public override string ToString() => $"{NodeId}@{Address}";
}
