using Microsoft.Extensions.Configuration;

namespace ActorChain.Persistence.Azure;

/// <summary>The <c>actorchain.persistence.azure</c> settings.</summary>
public sealed class AzureStorageOptions
{
    /// <summary>The configuration section these options bind from (HOCON <c>actorchain.persistence.azure</c>).</summary>
    public const string SectionPath = "actorchain:persistence:azure";

    /// <summary>Off: the node keeps everything local. On: ledger snapshots and the block archive go to Blob storage too.</summary>
    public bool Enabled { get; set; }

    /// <summary>When enabled, the block journal lives in Table storage (<see cref="AzureTableBlockStore"/>) instead of the local journal.</summary>
    public bool TableJournal { get; set; }

    /// <summary>When enabled, uploaded files live in Blob storage (<see cref="AzureFileStore"/>) instead of the local directory.</summary>
    public bool BlobFiles { get; set; } = true;

    /// <summary>The storage account; <c>UseDevelopmentStorage=true</c> is Azurite on its default ports.</summary>
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

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

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ConnectionString, nameof(ConnectionString));
        ArgumentException.ThrowIfNullOrWhiteSpace(Container, nameof(Container));
        ArgumentException.ThrowIfNullOrWhiteSpace(Table, nameof(Table));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryBackoff, TimeSpan.Zero, nameof(RetryBackoff));
        ArgumentOutOfRangeException.ThrowIfNegative(RetryAttempts, nameof(RetryAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(OperationTimeout, TimeSpan.Zero, nameof(OperationTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HealthTimeout, TimeSpan.Zero, nameof(HealthTimeout));
    }
}
