using System.Security.Cryptography.X509Certificates;
using System.Text;
using ActorChain.Actors;
using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using ActorChain.Chain.Signing;
using ActorChain.Node.Chain;
using ActorChain.Cluster;
using ActorChain.Remote;
using ActorChain.Hocon;
using ActorChain.Remote.Tls;
using ActorChain.Remote.Transport;
using ActorChain.Consensus.Node;
using ActorChain.Gateway.Operations;

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
    /// <summary><c>actorchain.cluster.*</c> with the cluster id and the seeds in the cluster's address form.</summary>
    public ClusterSettings Cluster { get; init; } = new();

    /// <summary><c>actorchain.remote.*</c> with the node id, cluster id, secret, host and port filled in.</summary>
    public required RemoteTransportOptions Remote { get; init; }

    public TimeSpan LeaveTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>actorchain.chain.*</c>: the genesis voters (never empty) and the consensus tuning.</summary>
    public required ChainSettings Chain { get; init; }

    /// <summary><c>actorchain.persistence.*</c> (local snapshots, blocks kept in memory).</summary>
    public PersistenceSettings Persistence { get; init; } = new(10_000, 3, 4096);

    /// <summary><c>actorchain.gateway.*</c>.</summary>
    public GatewaySettings Gateway { get; init; } = new(1024 * 1024, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5));

    /// <summary>The actor system (and cluster) address of a node listening at <paramref name="address"/>.</summary>
    public Address ClusterAddressOf(RemoteAddress address) => new(ClusterId, address.Host, address.Port);

    public const int MinSharedSecretBytes = 16;
    private const int MinFrameSize = 1024;
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
        ClusterSettings cluster;
        try
        {
            options = configuration.GetSection("actorchain").Get<ActorChainOptions>() ?? new ActorChainOptions();
            cluster = configuration.GetSection("actorchain:cluster").Get<ClusterSettings>() ?? new ClusterSettings();
        }
        catch (InvalidOperationException e)
        {
            throw new NodeConfigurationException($"a setting has the wrong type: {e.InnerException?.Message ?? e.Message}");
        }

        return Validate(options, cluster, commandLine.Seeds, configuration);
    }

    private static NodeSettings Validate(ActorChainOptions options, ClusterSettings cluster, IReadOnlyList<string>? seedOverride, IConfiguration configuration)
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

        if (options.Node.LeaveTimeout <= TimeSpan.Zero)
        {
            throw new NodeConfigurationException($"actorchain.node.leave-timeout is {options.Node.LeaveTimeout}; it must be positive.");
        }

        // The binder filled seed-nodes with host:port text; the cluster wants actorchain://cluster-id@host:port.
        cluster.ClusterId = options.ClusterId;
        cluster.SeedNodes = [.. seeds.Select(s => new Address(options.ClusterId, s.Host, s.Port).ToString())];
        try
        {
            cluster.Validate();
        }
        catch (ArgumentException e)
        {
            throw new NodeConfigurationException(e.Message);
        }

        var hostname = options.Node.Hostname.Trim();
        return new NodeSettings(
            options.ClusterId,
            nodeId,
            hostname,
            options.Node.Port,
            options.Node.HttpPort,
            Path.GetFullPath(options.Node.Data),
            seeds,
            options.Cluster.SharedSecret!,
            configuration)
        {
            Cluster = cluster,
            Remote = RemoteOptions(options.Remote, options.ClusterId, nodeId, options.Cluster.SharedSecret!, hostname, options.Node.Port),
            LeaveTimeout = options.Node.LeaveTimeout,
            Chain = ChainOptions(options.Chain, nodeId, Path.GetFullPath(options.Node.Data)),
            Gateway = GatewayOptions(options.Gateway),
            Persistence = PersistenceOptions(options.Persistence),
        };
    }

    private static ChainSettings ChainOptions(ChainSection chain, string nodeId, string dataDirectory)
    {
        var voters = chain.InitialVoters.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).ToArray();
        foreach (var voter in voters)
        {
            RequireId(voter, "a voter of actorchain.chain.initial-voters");
        }

        if (voters.Distinct(StringComparer.Ordinal).Count() != voters.Length)
        {
            throw new NodeConfigurationException($"actorchain.chain.initial-voters lists a node id twice: [{string.Join(", ", voters)}].");
        }

        RequirePositive(chain.TickInterval, "actorchain.chain.tick-interval");
        RequirePositive(chain.AttemptTimeout, "actorchain.chain.attempt-timeout");
        RequirePositive(chain.StatusInterval, "actorchain.chain.status-interval");
        if (chain.ForeignEntryDelay < TimeSpan.Zero)
        {
            throw new NodeConfigurationException($"actorchain.chain.foreign-entry-delay is {chain.ForeignEntryDelay}; it must not be negative.");
        }

        RequireUpTo(chain.BlockLinger, TimeSpan.FromMilliseconds(100), "100ms", "actorchain.chain.block-linger", "propose at once");

        RequireAtLeastOne(chain.MaxBlockEntries, "actorchain.chain.max-block-entries");
        RequireAtLeastOne(chain.MempoolMaxEntries, "actorchain.chain.mempool-max-entries");
        if (chain.MaxBlockBytes.Bytes < 1024 || chain.MempoolMaxBytes.Bytes < 1024)
        {
            throw new NodeConfigurationException("actorchain.chain.max-block-bytes and mempool-max-bytes must be at least 1KiB.");
        }

        if (chain.CompactAcceptorEveryBlocks < 0)
        {
            throw new NodeConfigurationException($"actorchain.chain.compact-acceptor-every-blocks is {chain.CompactAcceptorEveryBlocks}; it must be 0 (never) or more.");
        }

        RequireUpTo(chain.JournalBatchWindow, TimeSpan.FromSeconds(1), "1s", "actorchain.chain.journal-batch-window", "no batching");

        var genesisVoters = voters.Length == 0 ? [nodeId] : voters;
        var signing = chain.SignedBlocks
            ? NodeSigningKeys.Resolve(chain.VoterKeys, genesisVoters, nodeId, NodeSigningKeys.KeyPath(chain.SigningKey, dataDirectory))
            : ((BlockSigner Signer, IReadOnlyDictionary<string, VoterKey> VoterKeys)?)null;
        return new ChainSettings(
            genesisVoters,
            new ConsensusOptions
            {
                NodeId = nodeId,
                MaxBlockEntries = chain.MaxBlockEntries,
                MaxBlockBytes = chain.MaxBlockBytes.Bytes,
                MempoolMaxEntries = chain.MempoolMaxEntries,
                MempoolMaxBytes = chain.MempoolMaxBytes.Bytes,
                AttemptTimeoutMs = (long)chain.AttemptTimeout.TotalMilliseconds,
                ForeignEntryDelayMs = (long)chain.ForeignEntryDelay.TotalMilliseconds,
                StatusIntervalMs = (long)chain.StatusInterval.TotalMilliseconds,
                BlockLingerMs = (long)chain.BlockLinger.TotalMilliseconds,
                Signer = signing?.Signer,
            },
            chain.TickInterval,
            chain.CompactAcceptorEveryBlocks)
        {
            VoterKeys = signing?.VoterKeys,
            JournalBatchWindow = chain.JournalBatchWindow,
        };
    }

    private static GatewaySettings GatewayOptions(GatewaySection gateway)
    {
        var maxValue = RequireSize(gateway.MaxValueSize, 1, "actorchain.gateway.max-value-size");
        if (maxValue > Entry.MaxPayloadBytes - (2 * LedgerLimits.MaxKeyBytes))
        {
            throw new NodeConfigurationException($"actorchain.gateway.max-value-size is {gateway.MaxValueSize}; a value fits in an entry only up to {Entry.MaxPayloadBytes - (2 * LedgerLimits.MaxKeyBytes)} bytes.");
        }

        RequirePositive(gateway.WriteTimeout, "actorchain.gateway.write-timeout");
        RequirePositive(gateway.ReadTimeout, "actorchain.gateway.read-timeout");
        if (gateway.MaxFileSize.Bytes < 1)
        {
            throw new NodeConfigurationException($"actorchain.gateway.max-file-size is {gateway.MaxFileSize}; it must be at least 1 byte.");
        }

        var contentTypes = (gateway.ContentTypes ?? [.. global::ActorChain.Gateway.GatewayOptions.DefaultContentTypes])
            .Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim().ToLowerInvariant()).ToArray();
        if (contentTypes.FirstOrDefault(t => t.Count(c => c == '/') != 1 || t.Any(c => char.IsWhiteSpace(c) || c == ';')) is { } bad)
        {
            throw new NodeConfigurationException($"actorchain.gateway.content-types lists '{bad}'; each item is a media type such as image/jpeg, without parameters.");
        }

        return new GatewaySettings(maxValue, gateway.WriteTimeout, gateway.ReadTimeout)
        {
            MaxFileSize = gateway.MaxFileSize.Bytes,
            ContentTypes = contentTypes,
            FilesDirectory = string.IsNullOrWhiteSpace(gateway.FilesDirectory) ? null : Path.GetFullPath(gateway.FilesDirectory),
            FilesShared = gateway.FilesShared,
            ApiKeys = ApiKeysOf(gateway.ApiKeys),
            Limits = LimitsOf(gateway.Limits),
            HttpsCertificate = HttpsCertificate(gateway.Https),
        };
    }

    // A key travels in an Authorization header: visible ASCII only; as long as the cluster secret, so it cannot be guessed.
    private static string[] ApiKeysOf(string[] keys)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            var key = keys[i] ?? string.Empty;
            if (key.Length < MinSharedSecretBytes || !key.All(c => c is > ' ' and <= '~'))
            {
                throw new NodeConfigurationException(
                    $"actorchain.gateway.api-keys[{i}] must be at least {MinSharedSecretBytes} visible ASCII characters without spaces (it has {key.Length} characters).");
            }
        }

        return [.. keys.Distinct(StringComparer.Ordinal)];
    }

    private static HttpLimits LimitsOf(GatewayLimitsSection limits)
    {
        RequirePositive(limits.RequestHeadersTimeout, "actorchain.gateway.limits.request-headers-timeout");
        RequirePositive(limits.KeepAliveTimeout, "actorchain.gateway.limits.keep-alive-timeout");
        RequireAtLeastOne(limits.MaxRequestHeaderCount, "actorchain.gateway.limits.max-request-header-count");
        if (limits.MaxRequestBodySize.Bytes < 1)
        {
            throw new NodeConfigurationException($"actorchain.gateway.limits.max-request-body-size is {limits.MaxRequestBodySize}; it must be at least 1 byte.");
        }

        return new HttpLimits
        {
            MaxRequestLineSize = RequireSize(limits.MaxRequestLineSize, 1024, "actorchain.gateway.limits.max-request-line-size"),
            MaxRequestHeadersSize = RequireSize(limits.MaxRequestHeadersSize, 1024, "actorchain.gateway.limits.max-request-headers-size"),
            MaxRequestHeaderCount = limits.MaxRequestHeaderCount,
            MaxRequestBodySize = limits.MaxRequestBodySize.Bytes,
            RequestHeadersTimeout = limits.RequestHeadersTimeout,
            KeepAliveTimeout = limits.KeepAliveTimeout,
        };
    }

    private static PersistenceSettings PersistenceOptions(PersistenceSection persistence)
    {
        if (persistence.SnapshotInterval < 0)
        {
            throw new NodeConfigurationException($"actorchain.persistence.snapshot-interval is {persistence.SnapshotInterval}; it must be 0 (never) or more blocks.");
        }

        RequireAtLeastOne(persistence.SnapshotKeep, "actorchain.persistence.snapshot-keep");
        if (persistence.BlocksInMemory < PersistenceSettings.MinBlocksInMemory)
        {
            throw new NodeConfigurationException(
                $"actorchain.persistence.blocks-in-memory is {persistence.BlocksInMemory}; it must be at least {PersistenceSettings.MinBlocksInMemory}.");
        }

        return new PersistenceSettings(persistence.SnapshotInterval, persistence.SnapshotKeep, persistence.BlocksInMemory);
    }

    private static void RequireAtLeastOne(int value, string setting)
    {
        if (value < 1)
        {
            throw new NodeConfigurationException($"{setting} is {value}; it must be at least 1.");
        }
    }

    private static RemoteTransportOptions RemoteOptions(RemoteSection remote, string clusterId, string nodeId, string secret, string hostname, int port)
    {
        var maxFrame = RequireSize(remote.MaxFrameSize, MinFrameSize, "actorchain.remote.max-frame-size");
        var flush = RequireSize(remote.FlushThreshold, 1, "actorchain.remote.flush-threshold");
        RequirePositive(remote.HandshakeTimeout, "actorchain.remote.handshake-timeout");
        RequirePositive(remote.HeartbeatInterval, "actorchain.remote.heartbeat-interval");
        RequirePositive(remote.ReconnectMinBackoff, "actorchain.remote.reconnect-min-backoff");
        if (remote.IdleTimeout <= remote.HeartbeatInterval)
        {
            throw new NodeConfigurationException(
                $"actorchain.remote.idle-timeout ({remote.IdleTimeout}) must be longer than actorchain.remote.heartbeat-interval ({remote.HeartbeatInterval}).");
        }

        if (remote.ReconnectMaxBackoff < remote.ReconnectMinBackoff)
        {
            throw new NodeConfigurationException("actorchain.remote.reconnect-max-backoff must not be below reconnect-min-backoff.");
        }

        if (remote.OutboundQueueCapacity < 1)
        {
            throw new NodeConfigurationException($"actorchain.remote.outbound-queue-capacity is {remote.OutboundQueueCapacity}; it must be at least 1.");
        }

        return new RemoteTransportOptions
        {
            NodeId = nodeId,
            ClusterId = clusterId,
            SharedSecret = Encoding.UTF8.GetBytes(secret),
            Hostname = hostname,
            Port = port,
            MaxFrameSize = maxFrame,
            FlushThreshold = flush,
            HandshakeTimeout = remote.HandshakeTimeout,
            OutboundQueueCapacity = remote.OutboundQueueCapacity,
            ReconnectMinBackoff = remote.ReconnectMinBackoff,
            ReconnectMaxBackoff = remote.ReconnectMaxBackoff,
            HeartbeatInterval = remote.HeartbeatInterval,
            IdleTimeout = remote.IdleTimeout,
            Tls = RemoteTls(remote.Tls),
        };
    }

    private static RemoteTlsOptions? RemoteTls(TlsSection tls)
    {
        if (!tls.Enabled)
        {
            return null;
        }

        var options = new RemoteTlsOptions
        {
            CertificatePath = tls.Certificate,
            PrivateKeyPath = tls.PrivateKey,
            Password = tls.Password,
            TrustedCaPath = tls.TrustedCa,
            RequireClientCertificate = tls.RequireClientCertificate,
        };
        try
        {
            options.Validate();
        }
        catch (TlsConfigurationException e)
        {
            throw new NodeConfigurationException(e.Message);
        }

        return options;
    }

    private static X509Certificate2? HttpsCertificate(HttpsSection https)
    {
        if (string.IsNullOrWhiteSpace(https.Certificate))
        {
            return null;
        }

        try
        {
            return CertificateFiles.Load(https.Certificate, https.PrivateKey, https.Password, "actorchain.gateway.https").Certificate;
        }
        catch (TlsConfigurationException e)
        {
            throw new NodeConfigurationException(e.Message);
        }
    }

    private static int RequireSize(ByteSize size, int min, string setting) =>
        size.Bytes >= min && size.Bytes <= int.MaxValue
            ? (int)size.Bytes
            : throw new NodeConfigurationException($"{setting} is {size}; it must be {min} bytes to {int.MaxValue} bytes.");

    private static void RequirePositive(TimeSpan value, string setting)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new NodeConfigurationException($"{setting} is {value}; it must be positive.");
        }
    }

    private static void RequireUpTo(TimeSpan value, TimeSpan max, string maxText, string setting, string zeroMeans)
    {
        if (value < TimeSpan.Zero || value > max)
        {
            throw new NodeConfigurationException($"{setting} is {value}; it must be between 0 ({zeroMeans}) and {maxText}.");
        }
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

/// <summary>The genesis voters (every node of a cluster must list the same ones) and the consensus tuning.</summary>
internal sealed record ChainSettings(IReadOnlyList<string> InitialVoters, ConsensusOptions Consensus, TimeSpan TickInterval, int CompactAcceptorEveryBlocks)
{
    /// <summary>The initial voters' public keys when actorchain.chain.signed-blocks is on (they are in genesis); null when off.</summary>
    public IReadOnlyDictionary<string, VoterKey>? VoterKeys { get; init; }

    /// <summary>How long decided blocks may wait to share one journal write (ChainServiceOptions.JournalBatchWindow).</summary>
    public TimeSpan JournalBatchWindow { get; init; } = TimeSpan.FromMilliseconds(20);
}

/// <summary>
/// Local persistence: a ledger snapshot every <paramref name="SnapshotInterval"/> blocks (0: never), the newest
/// <paramref name="SnapshotKeep"/> kept, and the most recent <paramref name="BlocksInMemory"/> decided blocks held in memory
/// (older ones are read back from the journal).
/// </summary>
internal sealed record PersistenceSettings(long SnapshotInterval, int SnapshotKeep, int BlocksInMemory)
{
    /// <summary>Below this the chain would read blocks a peer is still catching up on from disk at every step.</summary>
    public const int MinBlocksInMemory = 16;
}

/// <summary>The HTTP API's limits: the largest value a PUT takes, and how long a write or a linearizable read waits.</summary>
internal sealed record GatewaySettings(int MaxValueSize, TimeSpan WriteTimeout, TimeSpan ReadTimeout)
{
    /// <summary>Largest upload (actorchain.gateway.max-file-size).</summary>
    public long MaxFileSize { get; init; } = global::ActorChain.Gateway.GatewayOptions.DefaultMaxFileSize;

    /// <summary>Media types an upload may have (actorchain.gateway.content-types), lower case.</summary>
    public IReadOnlyList<string> ContentTypes { get; init; } = global::ActorChain.Gateway.GatewayOptions.DefaultContentTypes;

    /// <summary>Where uploaded files live (actorchain.gateway.files-directory); null means &lt;data&gt;/files.</summary>
    public string? FilesDirectory { get; init; }

    /// <summary><c>actorchain.gateway.files-shared</c>: the store is shared by all nodes, so no bytes are copied between them.</summary>
    public bool FilesShared { get; init; }

    /// <summary><c>actorchain.gateway.api-keys</c>: empty leaves writes open.</summary>
    public IReadOnlyList<string> ApiKeys { get; init; } = [];

    /// <summary><c>actorchain.gateway.limits.*</c>.</summary>
    public HttpLimits Limits { get; init; } = new();

    /// <summary>From <c>actorchain.gateway.https</c>; when set, http-port serves HTTPS only.</summary>
    public X509Certificate2? HttpsCertificate { get; init; }
}
