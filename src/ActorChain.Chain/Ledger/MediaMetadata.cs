using ActorChain.Chain.Canonical;

namespace ActorChain.Chain.Ledger;

/// <summary>EXIF-like facts about a photo or video; every part is optional.</summary>
public sealed record MediaMetadata
{
    private const byte HasTakenAt = 1;
    private const byte HasMake = 2;
    private const byte HasModel = 4;
    private const byte HasLocation = 8;
    private const byte HasWidth = 16;
    private const byte HasHeight = 32;
    private const byte KnownBits = 63;

    public MediaMetadata(
        long? takenAtUnixMs = null,
        string? cameraMake = null,
        string? cameraModel = null,
        GeoPoint? location = null,
        int? width = null,
        int? height = null)
    {
        TakenAtUnixMs = takenAtUnixMs is { } taken ? LedgerRules.Date(taken, "date taken") : null;
        CameraMake = cameraMake is null ? null : LedgerRules.Text(cameraMake, LedgerLimits.MaxCameraTextBytes, "camera make");
        CameraModel = cameraModel is null ? null : LedgerRules.Text(cameraModel, LedgerLimits.MaxCameraTextBytes, "camera model");
        Location = location;
        Width = Dimension(width, "width");
        Height = Dimension(height, "height");
    }

    public long? TakenAtUnixMs { get; }

    public string? CameraMake { get; }

    public string? CameraModel { get; }

    public GeoPoint? Location { get; }

    public int? Width { get; }

    public int? Height { get; }

    internal void Write(PayloadBuilder writer)
    {
        var flags = (byte)((TakenAtUnixMs is null ? 0 : HasTakenAt) | (CameraMake is null ? 0 : HasMake) | (CameraModel is null ? 0 : HasModel)
            | (Location is null ? 0 : HasLocation) | (Width is null ? 0 : HasWidth) | (Height is null ? 0 : HasHeight));
        writer.WriteByte(flags);
        if (TakenAtUnixMs is { } taken)
        {
            writer.WriteInt64(taken);
        }

        if (CameraMake is not null)
        {
            writer.WriteText(CameraMake, shortPrefix: true);
        }

        if (CameraModel is not null)
        {
            writer.WriteText(CameraModel, shortPrefix: true);
        }

        if (Location is { } location)
        {
            writer.WriteDouble(location.Latitude);
            writer.WriteDouble(location.Longitude);
        }

        if (Width is { } width)
        {
            writer.WriteInt32(width);
        }

        if (Height is { } height)
        {
            writer.WriteInt32(height);
        }
    }

    internal static MediaMetadata Read(ref CanonicalReader reader)
    {
        var flags = reader.ReadByte();
        if ((flags & ~KnownBits) != 0)
        {
            CanonicalReader.Fail($"media metadata flags 0x{flags:x2} name unknown parts");
        }

        long? taken = (flags & HasTakenAt) != 0 ? reader.ReadInt64() : null;
        var make = (flags & HasMake) != 0 ? reader.ReadText(shortPrefix: true, LedgerLimits.MaxCameraTextBytes, "the camera make") : null;
        var model = (flags & HasModel) != 0 ? reader.ReadText(shortPrefix: true, LedgerLimits.MaxCameraTextBytes, "the camera model") : null;
        GeoPoint? location = null;
        if ((flags & HasLocation) != 0)
        {
            var latitude = PayloadCodec.ReadDouble(ref reader);
            location = new GeoPoint(latitude, PayloadCodec.ReadDouble(ref reader));
        }

        int? width = (flags & HasWidth) != 0 ? reader.ReadInt32() : null;
        int? height = (flags & HasHeight) != 0 ? reader.ReadInt32() : null;
        return new MediaMetadata(taken, make, model, location, width, height);
    }

    private static int? Dimension(int? value, string what) =>
        value is null or (>= 1 and <= LedgerLimits.MaxImageDimension)
            ? value
            : throw new ArgumentException($"The image {what} is 1 to {LedgerLimits.MaxImageDimension} pixels, not {value}.");
}
