using System.Globalization;
using Microsoft.WindowsAzure.Storage;
using Microsoft.WindowsAzure.Storage.Blob;
using Microsoft.WindowsAzure.Storage.RetryPolicies;
using Microsoft.WindowsAzure.Storage.Table;

namespace ActorChain.Persistence.Azure;

/// <summary>What <see cref="AzureStorage.CheckHealthAsync"/> found: for /health/ready.</summary>
/// <param name="IsHealthy">Both the container and the table answered and exist.</param>
/// <param name="Description">What was checked, or what failed and where.</param>
public sealed record AzureHealth(bool IsHealthy, string Description);

/// <summary>
/// The storage account of one cluster: the clients (with the retry policy of <see cref="AzureStorageOptions"/>),
/// its blob container and its journal table. The Azure stores are built over one of these.
/// </summary>
public sealed class AzureStorage
{
    private AzureStorage(AzureStorageOptions options, CloudStorageAccount account)
    {
        Options = options;
        var retry = options.RetryAttempts == 0
            ? (IRetryPolicy)new NoRetry()
            : new ExponentialRetry(options.RetryBackoff, options.RetryAttempts);
        var blobs = account.CreateCloudBlobClient();
        blobs.DefaultRequestOptions.RetryPolicy = retry;
        blobs.DefaultRequestOptions.MaximumExecutionTime = options.OperationTimeout;
        var tables = account.CreateCloudTableClient();
        tables.DefaultRequestOptions.RetryPolicy = retry;
        tables.DefaultRequestOptions.MaximumExecutionTime = options.OperationTimeout;
        Container = blobs.GetContainerReference(options.Container);
        Table = tables.GetTableReference(options.Table);
    }

    public AzureStorageOptions Options { get; }

    internal CloudBlobContainer Container { get; }

    internal CloudTable Table { get; }

    /// <exception cref="FormatException">The connection string is not a storage connection string.</exception>
    public static AzureStorage Create(AzureStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        RequireSigningCulture();
        options.Validate();
        if (!options.IsConfigured)
        {
            throw new FormatException("actorchain.persistence.azure.connection-string is empty: Azure Storage is not configured.");
        }

        if (!CloudStorageAccount.TryParse(options.ConnectionString, out var account))
        {
            throw new FormatException("actorchain.persistence.azure.connection-string is not an Azure Storage connection string.");
        }

        return new AzureStorage(options, account);
    }

    /// <summary>Creates the container and the table when missing; call once at start.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        await Container.CreateIfNotExistsAsync(BlobContainerPublicAccessType.Off, null, null, cancellationToken).ConfigureAwait(false);
        await Table.CreateIfNotExistsAsync(null, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether the container and the table answer, within <see cref="AzureStorageOptions.HealthTimeout"/> and without retries. Never throws for a storage failure.</summary>
    public async Task<AzureHealth> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        var blobOptions = new BlobRequestOptions { RetryPolicy = new NoRetry(), MaximumExecutionTime = Options.HealthTimeout };
        var tableOptions = new TableRequestOptions { RetryPolicy = new NoRetry(), MaximumExecutionTime = Options.HealthTimeout };
        string step = $"blob container '{Container.Name}' at {Container.Uri}";
        try
        {
            if (!await Container.ExistsAsync(blobOptions, null, cancellationToken).ConfigureAwait(false))
            {
                return new AzureHealth(false, $"The {step} does not exist.");
            }

            step = $"table '{Table.Name}' at {Table.Uri}";
            if (!await Table.ExistsAsync(tableOptions, null, cancellationToken).ConfigureAwait(false))
            {
                return new AzureHealth(false, $"The {step} does not exist.");
            }
        }
        catch (StorageException e)
        {
            var status = e.RequestInformation?.HttpStatusCode is int code and > 0
                ? "HTTP " + code.ToString(CultureInfo.InvariantCulture)
                : "no answer";
            return new AzureHealth(false, $"Azure Storage is unreachable: the {step} failed ({status}): {Innermost(e).Message}");
        }

        return new AzureHealth(true, $"Blob container '{Container.Name}' and table '{Table.Name}' answer.");
    }

    /// <summary>
    /// The SDK signs every request with the en-US culture, which invariant globalization (Directory.Build.props)
    /// refuses to create unless the host sets <c>&lt;PredefinedCulturesOnly&gt;false&lt;/PredefinedCulturesOnly&gt;</c>;
    /// the runtime reads that at start, so a library cannot switch it. Fail at configuration time, not per request.
    /// </summary>
    private static void RequireSigningCulture()
    {
        try
        {
            _ = CultureInfo.GetCultureInfo("en-US");
        }
        catch (CultureNotFoundException e)
        {
            throw new InvalidOperationException(
                "Azure Storage needs the en-US culture to sign requests: set <PredefinedCulturesOnly>false</PredefinedCulturesOnly> " +
                "(or InvariantGlobalization false) in the host project.", e);
        }
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
