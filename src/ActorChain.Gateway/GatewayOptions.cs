namespace ActorChain.Gateway;

/// <summary><c>actorchain.gateway.*</c> as the application routes use it (validated by the node's settings loader).</summary>
internal sealed record GatewayOptions
{
    public const long DefaultMaxFileSize = 512L * 1024 * 1024;

    /// <summary>The default of <c>actorchain.gateway.content-types</c>: common photo and video formats.</summary>
    public static readonly IReadOnlyList<string> DefaultContentTypes =
    [
        "image/jpeg", "image/png", "image/heic", "image/heif", "image/gif", "image/webp", "image/tiff", "image/bmp", "image/avif",
        "video/mp4", "video/quicktime", "video/webm", "video/x-msvideo", "video/mpeg", "video/3gpp",
    ];

    /// <summary>Largest upload; a larger declared or actual body is 413 and leaves nothing stored.</summary>
    public long MaxFileSize { get; init; } = DefaultMaxFileSize;

    /// <summary>Media types (lower case, no parameters) an upload may have; others are 415.</summary>
    public IReadOnlySet<string> ContentTypes { get; init; } = new HashSet<string>(DefaultContentTypes, StringComparer.OrdinalIgnoreCase);

    /// <summary>A write not committed by then is 503 (it may still commit; a retry with the same Idempotency-Key commits once).</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many leading bytes of a stored photo are read for its EXIF metadata.</summary>
    public int MetadataScanBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Largest JSON body of a metadata, field or claim request.</summary>
    public int MaxJsonBodySize { get; init; } = 256 * 1024;
}
