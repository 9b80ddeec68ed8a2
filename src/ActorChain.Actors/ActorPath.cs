using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace ActorChain.Actors;

/// <summary>
/// Where an actor system lives: <c>actorchain://system</c> for a purely local system,
/// <c>actorchain://system@host:port</c> once it is reachable from other nodes.
/// </summary>
public sealed record Address(string System, string? Host = null, int? Port = null)
{
    public const string Protocol = "actorchain";

    /// <summary>True when the address names a host and port, so another node can reach it.</summary>
    public bool HasGlobalScope => Host is not null && Port is not null;

    public override string ToString()
    {
        if (!HasGlobalScope)
        {
            return $"{Protocol}://{System}";
        }

        var host = Host!.Contains(':', StringComparison.Ordinal) && !Host.StartsWith('[') ? $"[{Host}]" : Host;
        return string.Create(CultureInfo.InvariantCulture, $"{Protocol}://{System}@{host}:{Port}");
    }

    public static Address Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not an actorchain address.");

    public static bool TryParse(string text, [NotNullWhen(true)] out Address? address)
    {
        address = null;
        if (!text.StartsWith(Protocol + "://", StringComparison.Ordinal))
        {
            return false;
        }

        return TryParseAuthority(text.AsSpan(Protocol.Length + 3), out address);
    }

    internal static bool TryParseAuthority(ReadOnlySpan<char> authority, [NotNullWhen(true)] out Address? address)
    {
        address = null;
        var at = authority.IndexOf('@');
        if (at < 0)
        {
            if (!IsValidSystemName(authority))
            {
                return false;
            }

            address = new Address(authority.ToString());
            return true;
        }

        var system = authority[..at];
        var hostPort = authority[(at + 1)..];
        if (!IsValidSystemName(system))
        {
            return false;
        }

        ReadOnlySpan<char> host;
        ReadOnlySpan<char> portText;
        if (hostPort.StartsWith("["))
        {
            var close = hostPort.IndexOf(']');
            if (close < 0 || close + 1 >= hostPort.Length || hostPort[close + 1] != ':')
            {
                return false;
            }

            host = hostPort[1..close];
            portText = hostPort[(close + 2)..];
        }
        else
        {
            var colon = hostPort.LastIndexOf(':');
            if (colon <= 0)
            {
                return false;
            }

            host = hostPort[..colon];
            portText = hostPort[(colon + 1)..];
        }

        if (host.IsEmpty || host.ContainsAny(" /") ||
            !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            return false;
        }

        address = new Address(system.ToString(), host.ToString(), port);
        return true;
    }

    internal static bool IsValidSystemName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// The name of an actor: an <see cref="Address"/> plus the path from the root guardian,
/// e.g. <c>actorchain://node1@10.0.0.5:4053/user/chain</c>. Two paths are equal when their
/// text is equal; a path does not tell one incarnation of an actor from the next.
/// </summary>
public sealed class ActorPath : IEquatable<ActorPath>, IComparable<ActorPath>
{
    private readonly string[] _elements;
    private string? _text;

    private ActorPath(Address address, string[] elements)
    {
        Address = address;
        _elements = elements;
    }

    public Address Address { get; }

    /// <summary>Path elements below the root, e.g. ["user", "chain"]. Empty for the root.</summary>
    public IReadOnlyList<string> Elements => _elements;

    /// <summary>The last element, or "" for the root.</summary>
    public string Name => _elements.Length == 0 ? string.Empty : _elements[^1];

    public ActorPath? Parent => _elements.Length == 0 ? null : new ActorPath(Address, _elements[..^1]);

    public ActorPath Root => _elements.Length == 0 ? this : new ActorPath(Address, []);

    public static ActorPath RootOf(Address address) => new(address, []);

    public ActorPath Child(string name)
    {
        if (!IsValidElement(name))
        {
            throw new InvalidActorNameException($"'{name}' is not a valid actor path element.");
        }

        return new ActorPath(Address, [.. _elements, name]);
    }

    public static ActorPath operator /(ActorPath path, string name) => path.Child(name);

    /// <summary>The same elements under another address (remoting adds host:port to local paths).</summary>
    public ActorPath WithAddress(Address address) => address == Address ? this : new ActorPath(address, _elements);

    /// <summary>"/user/chain", the part after the address.</summary>
    public string ToStringWithoutAddress()
    {
        if (_elements.Length == 0)
        {
            return "/";
        }

        var sb = new StringBuilder();
        foreach (var e in _elements)
        {
            sb.Append('/').Append(e);
        }

        return sb.ToString();
    }

    public override string ToString() => _text ??= Address + ToStringWithoutAddress();

    public static ActorPath Parse(string text) =>
        TryParse(text, out var path) ? path : throw new FormatException($"'{text}' is not an actorchain actor path.");

    public static bool TryParse(string? text, [NotNullWhen(true)] out ActorPath? path)
    {
        path = null;
        const string prefix = Address.Protocol + "://";
        if (text is null || !text.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = text.AsSpan(prefix.Length);
        var slash = rest.IndexOf('/');
        var authority = slash < 0 ? rest : rest[..slash];
        if (!Address.TryParseAuthority(authority, out var address))
        {
            return false;
        }

        var elements = new List<string>();
        if (slash >= 0)
        {
            var remaining = rest[(slash + 1)..];
            while (!remaining.IsEmpty)
            {
                var next = remaining.IndexOf('/');
                var element = next < 0 ? remaining : remaining[..next];
                if (!IsValidElement(element))
                {
                    return false;
                }

                elements.Add(element.ToString());
                remaining = next < 0 ? [] : remaining[(next + 1)..];
                if (next >= 0 && remaining.IsEmpty)
                {
                    return false;
                }
            }
        }

        path = new ActorPath(address, [.. elements]);
        return true;
    }

    internal static bool IsValidElement(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c is '/' or '#' or '?' or '%' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }

    public bool Equals(ActorPath? other) => other is not null && string.Equals(ToString(), other.ToString(), StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is ActorPath other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    public int CompareTo(ActorPath? other) => other is null ? 1 : string.CompareOrdinal(ToString(), other.ToString());

    public static bool operator ==(ActorPath? left, ActorPath? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(ActorPath? left, ActorPath? right) => !(left == right);
}
