using System.CommandLine;
using System.Text.Json;
using ActorChain.Cli.Http;

namespace ActorChain.Cli;

/// <summary>One run of one command: its parsed values, where to write, and the node clients it opened.</summary>
internal sealed class Invocation(ParseResult parse, CommonOptions common, CliConsole console) : IDisposable
{
    private readonly Dictionary<Uri, NodeClient> _clients = [];

    public ParseResult Parse { get; } = parse;

    public CliConsole Console { get; } = console;

    public bool Json => Parse.GetValue(common.Json);

    public Uri Node => Parse.GetValue(common.Node)!;

    public string? ApiKey => Parse.GetValue(common.ApiKey);

    public TimeSpan Timeout => Parse.GetValue(common.Timeout);

    /// <summary>The CA of <c>--ca-cert</c>, once <see cref="ReadCaCertificate"/> has read it; null trusts the system's roots.</summary>
    public TrustedCa? TrustedCa { get; private set; }

    /// <summary>Reads <c>--ca-cert</c> before the command does anything, so a bad file is a usage error whatever the command.</summary>
    /// <exception cref="UsageException">The file is missing, unreadable or holds no PEM certificate.</exception>
    public void ReadCaCertificate()
    {
        if (Parse.GetValue(common.CaCert) is { } path)
        {
            TrustedCa = Http.TrustedCa.Load(path);
        }
    }

    public T Get<T>(Option<T> option) => Parse.GetValue(option)!;

    public T Get<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    /// <summary>The client for <c>--node</c>.</summary>
    public NodeClient Client() => Client(Node);

    public NodeClient Client(Uri node)
    {
        // Cluster-wide commands ask several nodes at once.
        lock (_clients)
        {
            if (!_clients.TryGetValue(node, out var client))
            {
                client = new NodeClient(node, ApiKey, Timeout, trustedCa: TrustedCa);
                _clients[node] = client;
            }

            return client;
        }
    }

    public void WriteJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, ApiJson.Indented));

    /// <summary>One compact JSON document per line, for streams (<c>cluster tail</c>).</summary>
    public void WriteJsonLine<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, ApiJson.Options));

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        TrustedCa?.Dispose();
    }
}
