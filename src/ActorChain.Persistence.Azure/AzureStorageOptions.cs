using Microsoft.Extensions.Configuration;

namespace ActorChain.Persistence.Azure;

/// <summary>The <c>actorchain.persistence.azure</c> settings.</summary>
public sealed class AzureStorageOptions
{
    /// <summary>The configuration section these options bind from (HOCON <c>actorchain.persistence.azure</c>).</summary>
    public const string SectionPath = "actorchain:persistence:azure";

    /// <summary>
    /// The storage account; empty (the default) keeps the node entirely local, and setting it is what turns
    /// Azure on. <c>UseDevelopmentStorage=true</c> is Azurite on its default ports.
    /// </summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>With a connection string: decided blocks are also mirrored to Table storage (<see cref="AzureTableBlockStore"/>); the local journal stays the source of truth.</summary>
    public bool TableJournal { get; set; }

    /// <summary>With a connection string: uploaded files live in Blob storage (<see cref="AzureFileStore"/>) instead of the local directory.</summary>
    public bool BlobFiles { get; set; } = true;

    /// <summary>Blocks between ledger snapshots uploaded to Blob storage.</summary>
    public long SnapshotInterval { get; set; } = 1000;

    /// <summary>A node with an empty data directory starts from the newest blob snapshot (checked with a quorum of peers) when true.</summary>
    public bool Bootstrap { get; set; } = true;

    /// <summary>How long a bootstrapping node waits for a quorum of peers to confirm the snapshot's head before it falls back to catching up from genesis.</summary>
    public TimeSpan BootstrapTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long Azure may keep failing before /health/ready says so (503); shorter outages only delay the uploads.</summary>
    public TimeSpan OutageGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether a connection string is set: the node uses Azure only then.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString);

    /// <summary>The blob container of one cluster: snapshots, the block archive, uploaded files and large journal blocks.</summary>
    public string Container { get; set; } = "actorchain";

    /// <summary>The table holding the block journal, one partition per node.</summary>
    public string Table { get; set; } = "actorchainblocks";

    /// <summary>The first retry's back-off; later ones grow exponentially (with jitter).</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Retries of a request that failed transiently (a timeout, a 5xx, a dropped connection); 0 retries nothing.</summary>
    public int RetryAttempts { get; set; } = 4;

    /// <summary>The longest one operation may take, retries included.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The health check's bound; it never retries.</summary>
    public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Binds <see cref="SectionPath"/> of <paramref name="configuration"/> over the defaults.</summary>
    public static AzureStorageOptions Bind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new AzureStorageOptions();
        configuration.GetSection(SectionPath).Bind(options);
        options.Validate();
        return options;
    }

    /// <summary>Checks every setting; an empty connection string is valid (Azure off), but <see cref="AzureStorage.Create"/> refuses it.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Container, nameof(Container));
        ArgumentException.ThrowIfNullOrWhiteSpace(Table, nameof(Table));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryBackoff, TimeSpan.Zero, nameof(RetryBackoff));
        ArgumentOutOfRangeException.ThrowIfNegative(RetryAttempts, nameof(RetryAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(OperationTimeout, TimeSpan.Zero, nameof(OperationTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HealthTimeout, TimeSpan.Zero, nameof(HealthTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(SnapshotInterval, 1, nameof(SnapshotInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(BootstrapTimeout, TimeSpan.Zero, nameof(BootstrapTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(OutageGrace, TimeSpan.Zero, nameof(OutageGrace));
    }
}
