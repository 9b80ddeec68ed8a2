namespace ActorChain.Node.Configuration;

/// <summary>
/// The node's command line (DESIGN §9). Parsed strictly — an unknown or incomplete switch is a
/// usage error — because a typo in <c>--seeds</c> would otherwise start a lonely one-node cluster.
/// </summary>
internal sealed record NodeCommandLine(
    string? ConfigFile, IReadOnlyDictionary<string, string?> Overrides, IReadOnlyList<string>? Seeds, bool ShowHelp)
{
    /// <summary><c>--generate-key FILE</c>: create (or read) a signing key there, print its public key, and exit.</summary>
    public string? GenerateKeyPath { get; init; }

    public const string Usage = """
        Usage: ActorChain.Node [--config FILE] [--node-id ID] [--hostname HOST] [--port PORT]
                               [--http-port PORT] [--seeds HOST:PORT,...] [--data DIR]

          --config FILE       HOCON configuration (default: hocon/reference.conf beside the executable)
          --node-id ID        this node's id, unique in the cluster
          --hostname HOST     host name or address peers use to reach this node
          --port PORT         TCP port for peer connections
          --http-port PORT    port of the HTTP gateway
          --seeds LIST        comma-separated host:port of seed nodes
          --data DIR          directory for the journal, snapshots and files
          --generate-key FILE create an ECDSA P-256 signing key in FILE (kept if it exists), print
                              its public key for actorchain.chain.voter-keys, and exit

        Environment variables ACTORCHAIN__SECTION__KEY (dashes dropped, e.g.
        ACTORCHAIN__NODE__HTTPPORT) override the file; switches override both.
        """;

    private static readonly Dictionary<string, string> SwitchKeys = new(StringComparer.Ordinal)
    {
        ["--node-id"] = "actorchain:node:id",
        ["--hostname"] = "actorchain:node:hostname",
        ["--port"] = "actorchain:node:port",
        ["--http-port"] = "actorchain:node:httpport",
        ["--data"] = "actorchain:node:data",
    };

    /// <exception cref="NodeConfigurationException">The arguments are not a valid command line.</exception>
    public static NodeCommandLine Parse(IReadOnlyList<string> args)
    {
        string? configFile = null;
        string[]? seeds = null;
        string? generateKey = null;
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string? inlineValue = null;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (name.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                inlineValue = name[(equals + 1)..];
                name = name[..equals];
            }

            if (name is "-h" or "--help")
            {
                return new NodeCommandLine(null, overrides, null, ShowHelp: true);
            }

            if (name != "--config" && name != "--seeds" && name != "--generate-key" && !SwitchKeys.ContainsKey(name))
            {
                throw new NodeConfigurationException($"unknown option '{args[i]}'.");
            }

            var value = inlineValue ?? (i + 1 < args.Count ? args[++i] : null);
            if (string.IsNullOrWhiteSpace(value) || (inlineValue is null && value.StartsWith("--", StringComparison.Ordinal)))
            {
                throw new NodeConfigurationException($"option '{name}' needs a value.");
            }

            switch (name)
            {
                case "--config":
                    configFile = value;
                    break;
                case "--seeds":
                    seeds = ParseSeeds(value);
                    break;
                case "--generate-key":
                    generateKey = value;
                    break;
                default:
                    overrides[SwitchKeys[name]] = value;
                    break;
            }
        }

        return new NodeCommandLine(configFile, overrides, seeds, ShowHelp: false) { GenerateKeyPath = generateKey };
    }

    // Seeds replace the file's list as a whole: merged index by index, a shorter list from the
    // command line would keep the file's later seeds.
    private static string[] ParseSeeds(string list)
    {
        var seeds = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return seeds.Length > 0 ? seeds : throw new NodeConfigurationException("option '--seeds' needs at least one host:port.");
    }
}
