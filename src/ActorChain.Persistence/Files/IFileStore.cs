using ActorChain.Chain;

namespace ActorChain.Persistence;

/// <summary>A stored file: its SHA-256 (its address), its length, and whether this put stored it (false: it was there already).</summary>
public sealed record StoredFile(Hash256 Sha256, long Length, bool Created);

/// <summary>
/// Uploaded files, content-addressed by SHA-256: the same bytes are stored once. <see cref="LocalFileStore"/>
/// is the default; ActorChain.Persistence.Azure's <c>AzureFileStore</c> keeps them in Blob storage.
/// </summary>
public interface IFileStore
{
    /// <summary>Reads <paramref name="content"/> to its end, hashing it as it goes, and stores it unless a file with that hash is there.</summary>
    Task<StoredFile> PutAsync(Stream content, CancellationToken cancellationToken = default);

    /// <summary>The file's length; null when there is no such file.</summary>
    Task<long?> GetLengthAsync(Hash256 sha256, CancellationToken cancellationToken = default);

    /// <summary>
    /// The file's bytes from <paramref name="offset"/>, at most <paramref name="length"/> of them (all to the end when null);
    /// null when there is no such file. An offset at or past the end gives an empty stream.
    /// </summary>
    Task<Stream?> OpenReadAsync(Hash256 sha256, long offset = 0, long? length = null, CancellationToken cancellationToken = default);

    /// <summary>Removes the file; false when there was none.</summary>
    Task<bool> DeleteAsync(Hash256 sha256, CancellationToken cancellationToken = default);
}
