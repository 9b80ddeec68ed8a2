namespace ActorChain.Cli.Files;

/// <summary>A local file to upload; <see cref="RelativePath"/> is how the summary names it.</summary>
internal sealed record LocalFile(string FullPath, string RelativePath, long Size);

/// <summary>What <c>files upload</c> sends: one file, or every file under a folder.</summary>
internal static class FolderWalk
{
    /// <summary>
    /// The file itself, or every file below the folder, recursively, in ordinal path order (so two runs
    /// see the same order). Hidden and system files are left out, as are folders the user cannot read.
    /// </summary>
    public static IReadOnlyList<LocalFile> Walk(string path)
    {
        if (File.Exists(path))
        {
            var info = new FileInfo(path);
            return [new LocalFile(info.FullName, info.Name, info.Length)];
        }

        if (!Directory.Exists(path))
        {
            throw new Http.UsageException($"'{path}' is neither a file nor a folder.");
        }

        var root = Path.GetFullPath(path);
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.Hidden | FileAttributes.System | FileAttributes.ReparsePoint,
        };
        return [.. new DirectoryInfo(root).EnumerateFiles("*", options)
            .Where(f => !f.Name.StartsWith('.'))
            .Select(f => new LocalFile(f.FullName, Path.GetRelativePath(root, f.FullName), f.Length))
            .OrderBy(f => f.RelativePath, StringComparer.Ordinal)];
    }
}

/// <summary>The Content-Type an upload declares, from the file name's extension.</summary>
internal static class ContentTypes
{
    public const string Fallback = "application/octet-stream";

    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".jpg"] = "image/jpeg", [".jpeg"] = "image/jpeg", [".png"] = "image/png", [".gif"] = "image/gif",
        [".webp"] = "image/webp", [".heic"] = "image/heic", [".heif"] = "image/heif", [".tif"] = "image/tiff",
        [".tiff"] = "image/tiff", [".bmp"] = "image/bmp", [".dng"] = "image/x-adobe-dng", [".cr2"] = "image/x-canon-cr2",
        [".nef"] = "image/x-nikon-nef", [".mp4"] = "video/mp4", [".mov"] = "video/quicktime", [".m4v"] = "video/x-m4v",
        [".avi"] = "video/x-msvideo", [".mp3"] = "audio/mpeg", [".m4a"] = "audio/mp4", [".wav"] = "audio/wav",
        [".pdf"] = "application/pdf", [".txt"] = "text/plain", [".json"] = "application/json",
        [".zip"] = "application/zip",
    };

    public static string Of(string fileName) => ByExtension.GetValueOrDefault(Path.GetExtension(fileName), Fallback);
}
