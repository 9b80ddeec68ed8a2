using ActorChain.Node.Configuration;
using ActorChain.Persistence;
using ActorChain.Persistence.Azure;

namespace ActorChain.Node.Storage;

/// <summary>
/// How a node chooses its storage: everything local under actorchain.node.data, and Azure Storage as well
/// once <c>actorchain.persistence.azure.connection-string</c> is set (DESIGN §7).
/// </summary>
internal static class NodeStorage
{
    public const string FilesDirectory = "files";

    /// <summary><c>actorchain.persistence.azure</c>, validated; <see cref="AzureStorageOptions.IsConfigured"/> says whether the node uses it.</summary>
    /// <exception cref="NodeConfigurationException">A setting has the wrong type or is out of range.</exception>
    public static AzureStorageOptions AzureOptions(NodeSettings settings)
    {
        try
        {
            return AzureStorageOptions.Bind(settings.Configuration);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            throw new NodeConfigurationException($"actorchain.persistence.azure is invalid: {e.InnerException?.Message ?? e.Message}");
        }
    }

    /// <summary>The storage account when a connection string is set; null keeps the node local.</summary>
    /// <exception cref="NodeConfigurationException">The connection string is not a storage connection string.</exception>
    public static AzureStorage? CreateAzureStorage(NodeSettings settings)
    {
        var options = AzureOptions(settings);
        if (!options.IsConfigured)
        {
            return null;
        }

        try
        {
            return AzureStorage.Create(options);
        }
        catch (FormatException e)
        {
            throw new NodeConfigurationException(e.Message);
        }
    }

    /// <summary>
    /// Where uploaded files go: Azure Blob (content-addressed under files/) when a connection string is set and
    /// <c>blob-files</c> is on, otherwise actorchain.gateway.files-directory, or <c>&lt;data&gt;/files</c> when that is empty.
    /// </summary>
    internal static IFileStore CreateFileStore(NodeSettings settings, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var options = AzureOptions(settings);
        if (options.IsConfigured && options.BlobFiles && CreateAzureStorage(settings) is { } storage)
        {
            return new AzureFileStore(storage);
        }

        return new LocalFileStore(settings.Gateway.FilesDirectory ?? Path.Combine(settings.DataDirectory, FilesDirectory));
    }
}
