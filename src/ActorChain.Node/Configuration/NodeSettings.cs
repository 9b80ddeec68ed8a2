using System.Text;
using ActorChain.Remote;

namespace ActorChain.Node.Configuration;

/// <summary>Validated node settings: every value here has been checked, so the wiring code never re-checks.</summary>
internal sealed record NodeSettings(
    string ClusterId,
    string NodeId,
    string Hostname,
    int Port,
    int HttpPort,
    string DataDirectory,
    IReadOnlyList<RemoteAddress> Seeds,
    string SharedSecret,
    IConfiguration Configuration)
{
    public const int MinSharedSecretBytes = 16;
    private const int MaxIdBytes = 64;

    /// <summary>Loads the HOCON file, environment variables and switches, in rising precedence, and validates them.</summary>
    /// <exception cref="NodeConfigurationException">A setting is missing or invalid; the message names it.</exception>
    public static NodeSettings Load(NodeCommandLine commandLine, string baseDirectory)
    {
        var configFile = commandLine.ConfigFile is { } file
            ? Path.GetFullPath(file)
            : Path.Combine(baseDirectory, "hocon", "reference.conf");
        if (!File.Exists(configFile))
        {
            throw new NodeConfigurationException($"the configuration file '{configFile}' does not exist.");
        }

        IConfiguration configuration;
        try
        {
            configuration = new ConfigurationBuilder()
                .AddHoconFile(configFile)
                .AddEnvironmentVariables()
                .AddInMemoryCollection(commandLine.Overrides)
                .Build();
        }
        catch (Hocon.HoconException e)
        {
            throw new NodeConfigurationException($"the configuration is not valid HOCON: {e.Message}");
        }

        ActorChainOptions options;
        try
        {
            options = configuration.GetSection("actorchain").Get<ActorChainOptions>() ?? new ActorChainOptions();
        }
        catch (InvalidOperationException e)
        {
            throw new NodeConfigurationException($"a setting has the wrong type: {e.InnerException?.Message ?? e.Message}");
        }

        return Validate(options, commandLine.Seeds, configuration);
    }

    private static NodeSettings Validate(ActorChainOptions options, IReadOnlyList<string>? seedOverride, IConfiguration configuration)
    {
        var nodeId = string.IsNullOrWhiteSpace(options.Node.Id) ? Environment.MachineName : options.Node.Id.Trim();
        RequireId(nodeId, "actorchain.node.id (--node-id)");
        RequireId(options.ClusterId, "actorchain.cluster-id");
        if (string.IsNullOrWhiteSpace(options.Node.Hostname))
        {
            throw new NodeConfigurationException("actorchain.node.hostname (--hostname) must be set to the name or address peers dial.");
        }

        RequirePort(options.Node.Port, "actorchain.node.port (--port)");
        RequirePort(options.Node.HttpPort, "actorchain.node.http-port (--http-port)");
        if (options.Node.Port != 0 && options.Node.Port == options.Node.HttpPort)
        {
            throw new NodeConfigurationException($"the peer port and the HTTP port are both {options.Node.Port}; give them different ports.");
        }

        var secretBytes = Encoding.UTF8.GetByteCount(options.Cluster.SharedSecret ?? string.Empty);
        if (secretBytes < MinSharedSecretBytes)
        {
            throw new NodeConfigurationException(
                $"actorchain.cluster.shared-secret must be at least {MinSharedSecretBytes} bytes (it is {secretBytes}); " +
                "every node of the cluster needs the same secret, e.g. ACTORCHAIN__CLUSTER__SHAREDSECRET.");
        }

        if (string.IsNullOrWhiteSpace(options.Node.Data))
        {
            throw new NodeConfigurationException("actorchain.node.data (--data) must name a directory.");
        }

        var seeds = new List<RemoteAddress>();
        foreach (var seed in seedOverride ?? options.Cluster.SeedNodes)
        {
            seeds.Add(ParseSeed(seed));
        }

        return new NodeSettings(
            options.ClusterId,
            nodeId,
            options.Node.Hostname.Trim(),
            options.Node.Port,
            options.Node.HttpPort,
            Path.GetFullPath(options.Node.Data),
            seeds,
            options.Cluster.SharedSecret!,
            configuration);
    }

    private static RemoteAddress ParseSeed(string seed)
    {
        try
        {
            var address = RemoteAddress.Parse(seed);
            if (address.Port != 0)
            {
                return address;
            }
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
        }

        throw new NodeConfigurationException($"seed '{seed}' is not host:port with a port from 1 to 65535 (e.g. 127.0.0.1:4053).");
    }

    private static void RequireId(string id, string setting)
    {
        if (string.IsNullOrEmpty(id) || Encoding.UTF8.GetByteCount(id) > MaxIdBytes ||
            !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new NodeConfigurationException(
                $"{setting} is '{id}'; it must be 1 to {MaxIdBytes} characters of letters, digits, '-', '_' or '.'.");
        }
    }

    private static void RequirePort(int port, string setting)
    {
        if (port is < 0 or > 65535)
        {
            throw new NodeConfigurationException($"{setting} is {port}; a port is 0 (any free port) to 65535.");
        }
    }
}
