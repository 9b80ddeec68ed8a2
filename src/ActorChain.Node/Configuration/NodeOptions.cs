using ActorChain.Hocon;

namespace ActorChain.Node.Configuration;

/// <summary>The <c>actorchain</c> section, bound from HOCON with dashes dropped (<c>http-port</c> → <c>HttpPort</c>).</summary>
internal sealed class ActorChainOptions
{
    public string ClusterId { get; set; } = "actorchain-local";

    public NodeSection Node { get; set; } = new();

    public ClusterSection Cluster { get; set; } = new();

    public RemoteSection Remote { get; set; } = new();

    public ChainSection Chain { get; set; } = new();

    public GatewaySection Gateway { get; set; } = new();

    public PersistenceSection Persistence { get; set; } = new();
}

/// <summary><c>actorchain.persistence</c>: local snapshots and how much of the chain stays in memory (its <c>azure</c> part is bound by AzureStorageOptions).</summary>
internal sealed class PersistenceSection
{
    public long SnapshotInterval { get; set; } = 10_000;

    public int SnapshotKeep { get; set; } = 3;

    public int BlocksInMemory { get; set; } = 4096;
}

/// <summary><c>actorchain.chain</c>: the genesis voters and the consensus knobs (defaults are ConsensusOptions' own).</summary>
internal sealed class ChainSection
{
    /// <summary>Node ids of the genesis voters; empty means this node alone.</summary>
    public string[] InitialVoters { get; set; } = [];

    public TimeSpan TickInterval { get; set; } = TimeSpan.FromMilliseconds(5);

    public int MaxBlockEntries { get; set; } = 1000;

    public ByteSize MaxBlockBytes { get; set; } = new(4 * 1024 * 1024);

    public int MempoolMaxEntries { get; set; } = 100_000;

    public ByteSize MempoolMaxBytes { get; set; } = new(256L * 1024 * 1024);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan ForeignEntryDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan BlockLinger { get; set; } = TimeSpan.FromMilliseconds(3);

    public int CompactAcceptorEveryBlocks { get; set; } = 1024;

    public TimeSpan JournalBatchWindow { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Part of genesis: proposers sign blocks with their key and every node checks the signatures.</summary>
    public bool SignedBlocks { get; set; }

    /// <summary>"node-id=&lt;base64 SubjectPublicKeyInfo&gt;" per initial voter (with signed blocks).</summary>
    public string[] VoterKeys { get; set; } = [];

    /// <summary>This node's PEM private key file; empty means &lt;data&gt;/signing-key.pem.</summary>
    public string SigningKey { get; set; } = string.Empty;
}

/// <summary><c>actorchain.gateway</c>: limits of the HTTP API.</summary>
internal sealed class GatewaySection
{
    public ByteSize MaxValueSize { get; set; } = new(1024 * 1024);

    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public ByteSize MaxFileSize { get; set; } = new(512L * 1024 * 1024);

    /// <summary>Null keeps the default list; the binder appends to a non-null default instead of replacing it.</summary>
    public string[]? ContentTypes { get; set; }

    /// <summary>Empty means &lt;data&gt;/files.</summary>
    public string FilesDirectory { get; set; } = string.Empty;

    /// <summary>True: every node reads the same store, so uploaded bytes are not copied between nodes.</summary>
    public bool FilesShared { get; set; }

    /// <summary>Bearer tokens that writes under /api/ need; empty leaves writes open.</summary>
    public string[] ApiKeys { get; set; } = [];

    public GatewayLimitsSection Limits { get; set; } = new();

    public HttpsSection Https { get; set; } = new();
}

/// <summary><c>actorchain.gateway.limits</c>: Kestrel's request limits (its own defaults).</summary>
internal sealed class GatewayLimitsSection
{
    public ByteSize MaxRequestLineSize { get; set; } = new(8 * 1024);

    public ByteSize MaxRequestHeadersSize { get; set; } = new(32 * 1024);

    public int MaxRequestHeaderCount { get; set; } = 100;

    public ByteSize MaxRequestBodySize { get; set; } = new(30_000_000);

    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(130);
}

/// <summary><c>actorchain.gateway.https</c>: an empty certificate means plain HTTP.</summary>
internal sealed class HttpsSection
{
    public string Certificate { get; set; } = string.Empty;

    public string PrivateKey { get; set; } = string.Empty;

    public string Password { get; set; } = string.Empty;
}

/// <summary><c>actorchain.remote.tls</c>.</summary>
internal sealed class TlsSection
{
    public bool Enabled { get; set; }

    public string Certificate { get; set; } = string.Empty;

    public string PrivateKey { get; set; } = string.Empty;

    public string Password { get; set; } = string.Empty;

    public string TrustedCa { get; set; } = string.Empty;

    public bool RequireClientCertificate { get; set; } = true;
}

internal sealed class NodeSection
{
    /// <summary>Empty means the machine's host name.</summary>
    public string Id { get; set; } = string.Empty;

    public string Hostname { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 4053;

    public int HttpPort { get; set; } = 8081;

    public string Data { get; set; } = "./data";

    /// <summary>How long a stopping node waits for the cluster to see it leave before it stops anyway.</summary>
    public TimeSpan LeaveTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

internal sealed class ClusterSection
{
    public string[] SeedNodes { get; set; } = [];

    public string SharedSecret { get; set; } = string.Empty;
}

/// <summary><c>actorchain.remote</c>; sizes are HOCON sizes, so they bind to <see cref="ByteSize"/> and are range-checked into ints.</summary>
internal sealed class RemoteSection
{
    public ByteSize MaxFrameSize { get; set; } = new(4 * 1024 * 1024);

    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public int OutboundQueueCapacity { get; set; } = 65_536;

    public TimeSpan ReconnectMinBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan ReconnectMaxBackoff { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public ByteSize FlushThreshold { get; set; } = new(64 * 1024);

    public TlsSection Tls { get; set; } = new();
}
