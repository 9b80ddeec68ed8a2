namespace ActorChain.Chain.Ledger;

/// <summary>
/// A file search: every condition given must hold (AND). Results are ordered by date taken
/// (undated files last), then file id, and paged by <see cref="Skip"/> / <see cref="Take"/>.
/// </summary>
public sealed record FileQuery
{
    public const int DefaultTake = 50;
    public const int MaxTake = 1000;

    /// <summary>Tags the file must all carry (ordinal, case-sensitive).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>
    /// Field conditions: the file's value equals the given one; for a <c>tags</c> field the file's
    /// value holds every given tag (a <see cref="FieldValue.String"/> also names one tag).
    /// </summary>
    public IReadOnlyList<FieldCondition> Fields { get; init; } = [];

    /// <summary>Earliest date taken, Unix ms, inclusive. Any date bound excludes undated files.</summary>
    public long? TakenFromUnixMs { get; init; }

    /// <summary>Latest date taken, Unix ms, inclusive.</summary>
    public long? TakenToUnixMs { get; init; }

    public GeoCircle? Near { get; init; }

    public GeoBox? Within { get; init; }

    /// <summary>File-name prefix, case-insensitive (ordinal after invariant upper-casing).</summary>
    public string? NamePrefix { get; init; }

    public int Skip { get; init; }

    public int Take { get; init; } = DefaultTake;

    /// <exception cref="ArgumentException">A condition or the paging is out of bounds; the message says which.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Tags);
        ArgumentNullException.ThrowIfNull(Fields);
        if (Tags.Count > LedgerLimits.MaxTagsPerFile)
        {
            throw new ArgumentException($"A search names at most {LedgerLimits.MaxTagsPerFile} tags, not {Tags.Count}.");
        }

        foreach (var tag in Tags)
        {
            LedgerRules.Tag(tag);
        }

        if (Fields.Count > LedgerLimits.MaxFieldsPerFile)
        {
            throw new ArgumentException($"A search names at most {LedgerLimits.MaxFieldsPerFile} fields, not {Fields.Count}.");
        }

        foreach (var condition in Fields)
        {
            LedgerRules.FieldName(condition.Name);
            if (condition.Value is null)
            {
                throw new ArgumentException($"The condition on field '{condition.Name}' has no value.");
            }

            if (condition.Value.Type == FieldType.Tags && condition.Value.AsTags.Count == 0)
            {
                throw new ArgumentException($"The condition on tags field '{condition.Name}' names no tag.");
            }
        }

        if (TakenFromUnixMs is { } from)
        {
            LedgerRules.Date(from, "search 'from' date");
        }

        if (TakenToUnixMs is { } to)
        {
            LedgerRules.Date(to, "search 'to' date");
        }

        if (TakenFromUnixMs > TakenToUnixMs)
        {
            throw new ArgumentException($"The search 'from' date {TakenFromUnixMs} is after its 'to' date {TakenToUnixMs}.");
        }

        Near?.Validate();
        Within?.Validate();
        if (NamePrefix is not null)
        {
            LedgerRules.Text(NamePrefix, LedgerLimits.MaxFileNameBytes, "file-name prefix");
        }

        if (Skip < 0)
        {
            throw new ArgumentException($"'skip' is not negative ({Skip}).");
        }

        if (Take is < 1 or > MaxTake)
        {
            throw new ArgumentException($"'take' is 1 to {MaxTake}, not {Take}.");
        }
    }
}

public readonly record struct FieldCondition(string Name, FieldValue Value);

/// <summary>Files within <see cref="RadiusKm"/> of a point (haversine distance).</summary>
public readonly record struct GeoCircle(double Latitude, double Longitude, double RadiusKm)
{
    /// <summary>Half the Earth's circumference, with room for rounding: a larger radius adds nothing.</summary>
    public const double MaxRadiusKm = 20_100;

    public GeoPoint Center => new(Latitude, Longitude);

    public void Validate()
    {
        _ = Center;
        if (!double.IsFinite(RadiusKm) || RadiusKm <= 0 || RadiusKm > MaxRadiusKm)
        {
            throw new ArgumentException($"A search radius is more than 0 and at most {MaxRadiusKm} km, not {RadiusKm}.");
        }
    }

    public bool Contains(GeoPoint point) => Center.DistanceKm(point) <= RadiusKm;
}

/// <summary>
/// A latitude/longitude box, edges inclusive. <see cref="West"/> greater than <see cref="East"/>
/// means the box crosses the antimeridian (e.g. West 170, East -170 spans 20 degrees).
/// </summary>
public readonly record struct GeoBox(double South, double West, double North, double East)
{
    public bool CrossesAntimeridian => West > East;

    public void Validate()
    {
        LedgerRules.Latitude(South);
        LedgerRules.Latitude(North);
        LedgerRules.Longitude(West);
        LedgerRules.Longitude(East);
        if (South > North)
        {
            throw new ArgumentException($"A box's south edge {South} is north of its north edge {North}.");
        }
    }

    public bool Contains(GeoPoint point) =>
        point.Latitude >= South && point.Latitude <= North
        && (CrossesAntimeridian
            ? point.Longitude >= West || point.Longitude <= East
            : point.Longitude >= West && point.Longitude <= East);
}

public sealed record FileSearchResult(int Total, IReadOnlyList<FileRecord> Items);
