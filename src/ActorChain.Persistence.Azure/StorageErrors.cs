using Microsoft.WindowsAzure.Storage;

namespace ActorChain.Persistence.Azure;

internal static class StorageErrors
{
    public const int NotFound = 404;
    public const int Conflict = 409;
    public const int PreconditionFailed = 412;

    public static bool Is(this StorageException e, int status) => e.RequestInformation?.HttpStatusCode == status;

    /// <summary>A create with If-None-Match * that lost: the blob answers 409 BlobAlreadyExists, some emulators 412.</summary>
    public static bool IsAlreadyExists(this StorageException e) => e.Is(Conflict) || e.Is(PreconditionFailed);
}
