using System.Net;
using System.Net.Sockets;
using ActorChain.Node.Configuration;

namespace ActorChain.Tests.Harness;

/// <summary>
/// One node's identity and settings, the same for every run of it (a restart keeps ports and data).
/// <see cref="Overrides"/> are configuration keys (<c>actorchain:cluster:gossipinterval</c>), the form
/// the node's switches and ACTORCHAIN__ variables also take.
/// </summary>
internal sealed record NodeSpec(string Name, int RemotePort, int HttpPort, string DataDirectory, IReadOnlyList<string> Seeds, IReadOnlyDictionary<string, string?> Overrides)
{
    public const string ClusterId = "multinode";
    public const string Secret = "multi-node-specs-shared-secret";

    /// <summary>Timers about tenfold shorter than the defaults, so failure detection and joins take about a second.</summary>
    public static IReadOnlyDictionary<string, string?> FastTimers { get; } = new Dictionary<string, string?>
    {
        ["actorchain:clusterid"] = ClusterId,
        ["actorchain:cluster:sharedsecret"] = Secret,
        ["actorchain:cluster:seednodetimeout"] = "1s",
        ["actorchain:cluster:retryunsuccessfuljoinafter"] = "1s",
        ["actorchain:cluster:gossipinterval"] = "100ms",
        ["actorchain:cluster:heartbeatinterval"] = "150ms",
        ["actorchain:cluster:acceptableheartbeatpause"] = "1s",
        ["actorchain:remote:reconnectminbackoff"] = "50ms",
        ["actorchain:remote:reconnectmaxbackoff"] = "500ms",
        ["actorchain:remote:heartbeatinterval"] = "200ms",
        ["actorchain:remote:idletimeout"] = "3s",
        ["actorchain:node:leavetimeout"] = "5s",
    };

    public string RemoteAddress => $"127.0.0.1:{RemotePort}";

    /// <summary>
    /// <c>actorchain.chain.initial-voters</c> as configuration keys, with <paramref name="more"/> on top:
    /// every node of a cluster needs the same list, or each would compute its own genesis.
    /// </summary>
    public static Dictionary<string, string?> WithVoters(IEnumerable<string> voters, IReadOnlyDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (voter, i) in voters.Select((v, i) => (v, i)))
        {
            settings[$"actorchain:chain:initialvoters:{i}"] = voter;
        }

        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public static string ReferenceConf => Path.Combine(AppContext.BaseDirectory, "hocon", "reference.conf");

    /// <summary>Every setting as configuration keys, fast timers first, then the spec's own.</summary>
    public IReadOnlyDictionary<string, string?> AllSettings()
    {
        var all = new Dictionary<string, string?>(FastTimers, StringComparer.OrdinalIgnoreCase)
        {
            ["actorchain:node:id"] = Name,
            ["actorchain:node:hostname"] = "127.0.0.1",
            ["actorchain:node:port"] = RemotePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["actorchain:node:httpport"] = HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["actorchain:node:data"] = DataDirectory,
        };
        foreach (var (key, value) in Overrides)
        {
            all[key] = value;
        }

        return all;
    }

    /// <summary>The settings through the executable's own loader, so in-process nodes are configured as the real one is.</summary>
    public NodeSettings Load() =>
        NodeSettings.Load(new NodeCommandLine(ReferenceConf, AllSettings(), Seeds.Count > 0 ? Seeds : null, ShowHelp: false), AppContext.BaseDirectory);

    /// <summary>Ports free right now, all different: each is bound to port 0 while the next is picked.</summary>
    public static int[] FreePorts(int count)
    {
        var sockets = Enumerable.Range(0, count).Select(_ => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)).ToList();
        try
        {
            foreach (var socket in sockets)
            {
                socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            }

            return [.. sockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port)];
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }
}
