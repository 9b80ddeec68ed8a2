namespace ActorChain.Chain.Ledger;

/// <summary>
/// Bounds every payload is checked against, both when it is built and when it is decoded,
/// so a node never holds (or indexes) a value another node would refuse.
/// </summary>
public static class LedgerLimits
{
    public const int MaxKeyBytes = 1024;
    public const int MaxFileIdBytes = 128;
    public const int MaxFileNameBytes = 255;
    public const int MaxContentTypeBytes = 127;
    public const int MaxCameraTextBytes = 128;
    public const int MaxTagBytes = 64;
    public const int MaxTagsPerFile = 64;
    public const int MaxFieldNameLength = 64;
    public const int MaxFieldsPerFile = 64;
    public const int MaxStringValueBytes = 1024;
    public const int MaxTaskIdBytes = 256;
    public const int MaxImageDimension = 1_000_000;

    /// <summary>0001-01-01T00:00:00Z: dates are kept to the range <see cref="DateTimeOffset"/> can print.</summary>
    public const long MinDateUnixMs = -62_135_596_800_000;

    /// <summary>9999-12-31T23:59:59.999Z.</summary>
    public const long MaxDateUnixMs = 253_402_300_799_999;
}
