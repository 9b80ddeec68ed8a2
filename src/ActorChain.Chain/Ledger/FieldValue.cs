using System.Collections.Immutable;
using System.Globalization;
using ActorChain.Chain.Canonical;

namespace ActorChain.Chain.Ledger;

/// <summary>
/// A typed metadata value: a small tagged union over the five <see cref="FieldType"/>s. Equality
/// is by type and value (tags as a set), so values can key the field index.
/// </summary>
public sealed class FieldValue : IEquatable<FieldValue>
{
    private readonly string? _text;
    private readonly double _number;
    private readonly long _date;
    private readonly GeoPoint _geo;
    private readonly ImmutableSortedSet<string>? _tags;

    private FieldValue(FieldType type, string? text = null, double number = 0, long date = 0, GeoPoint geo = default, ImmutableSortedSet<string>? tags = null)
    {
        Type = type;
        _text = text;
        _number = number;
        _date = date;
        _geo = geo;
        _tags = tags;
    }

    public FieldType Type { get; }

    public string AsString => Type == FieldType.String ? _text! : throw WrongType(FieldType.String);

    public double AsNumber => Type == FieldType.Number ? _number : throw WrongType(FieldType.Number);

    public long AsDateUnixMs => Type == FieldType.Date ? _date : throw WrongType(FieldType.Date);

    public GeoPoint AsGeo => Type == FieldType.Geo ? _geo : throw WrongType(FieldType.Geo);

    public ImmutableSortedSet<string> AsTags => Type == FieldType.Tags ? _tags! : throw WrongType(FieldType.Tags);

    public static FieldValue String(string value) =>
        new(FieldType.String, text: LedgerRules.Text(value, LedgerLimits.MaxStringValueBytes, "string field value", allowControl: true));

    /// <summary>A finite number; -0 is stored as 0 so equal numbers have one encoding.</summary>
    public static FieldValue Number(double value) =>
        double.IsFinite(value)
            ? new(FieldType.Number, number: value + 0.0)
            : throw new ArgumentException($"A number field value must be finite, not {value}.");

    public static FieldValue Date(long unixMs) => new(FieldType.Date, date: LedgerRules.Date(unixMs, "date field value"));

    public static FieldValue Geo(double latitude, double longitude) => new(FieldType.Geo, geo: new GeoPoint(latitude, longitude));

    public static FieldValue Geo(GeoPoint point) => new(FieldType.Geo, geo: point);

    public static FieldValue Tags(IEnumerable<string> tags) =>
        new(FieldType.Tags, tags: ImmutableSortedSet.Create(StringComparer.Ordinal, LedgerRules.Tags(tags, "tags field value")));

    /// <summary>
    /// Reads a value from query-string text: a number in invariant culture; a date as Unix ms or
    /// ISO 8601; geo as <c>lat,lon</c>; tags as a comma-separated list.
    /// </summary>
    public static bool TryParse(FieldType type, string? text, out FieldValue? value, out string? error)
    {
        value = null;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "the value is empty";
            return false;
        }

        try
        {
            switch (type)
            {
                case FieldType.String:
                    value = String(text);
                    break;
                case FieldType.Number when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number):
                    value = Number(number);
                    break;
                case FieldType.Date when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms):
                    value = Date(ms);
                    break;
                case FieldType.Date when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date):
                    value = Date(date.ToUnixTimeMilliseconds());
                    break;
                case FieldType.Geo:
                    var parts = text.Split(',');
                    if (parts.Length == 2
                        && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
                        && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var lon))
                    {
                        value = Geo(lat, lon);
                    }

                    break;
                case FieldType.Tags:
                    value = Tags(text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
                    break;
            }
        }
        catch (ArgumentException e)
        {
            error = e.Message;
            return false;
        }

        if (value is null)
        {
            error = $"'{text}' is not a {(FieldTypes.IsDefined(type) ? type.ToWireName() : "known")} value";
            return false;
        }

        return true;
    }

    /// <summary>
    /// Whether a file's value satisfies a query value: equal; for a tags value, every queried tag
    /// (or the one tag a string names) is present.
    /// </summary>
    public bool Satisfies(FieldValue query) => (Type, query.Type) switch
    {
        (FieldType.Tags, FieldType.Tags) => _tags!.IsSupersetOf(query._tags!),
        (FieldType.Tags, FieldType.String) => _tags!.Contains(query._text!),
        _ => Equals(query),
    };

    public bool Equals(FieldValue? other) =>
        other is not null && Type == other.Type && Type switch
        {
            FieldType.String => string.Equals(_text, other._text, StringComparison.Ordinal),
            FieldType.Number => _number.Equals(other._number),
            FieldType.Date => _date == other._date,
            FieldType.Geo => _geo == other._geo,
            _ => _tags!.SequenceEqual(other._tags!, StringComparer.Ordinal),
        };

    public override bool Equals(object? obj) => Equals(obj as FieldValue);

    public override int GetHashCode() => Type switch
    {
        FieldType.String => HashCode.Combine(Type, StringComparer.Ordinal.GetHashCode(_text!)),
        FieldType.Number => HashCode.Combine(Type, _number),
        FieldType.Date => HashCode.Combine(Type, _date),
        FieldType.Geo => HashCode.Combine(Type, _geo),
        _ => HashCode.Combine(Type, _tags!.Count, _tags.Count == 0 ? 0 : StringComparer.Ordinal.GetHashCode(_tags[0])),
    };

    public override string ToString() => Type switch
    {
        FieldType.String => _text!,
        FieldType.Number => _number.ToString("R", CultureInfo.InvariantCulture),
        FieldType.Date => DateTimeOffset.FromUnixTimeMilliseconds(_date).ToString("O", CultureInfo.InvariantCulture),
        FieldType.Geo => _geo.ToString(),
        _ => string.Join(',', _tags!),
    };

    internal void Write(PayloadBuilder writer)
    {
        writer.WriteByte((byte)Type);
        switch (Type)
        {
            case FieldType.String:
                writer.WriteText(_text!, shortPrefix: false);
                break;
            case FieldType.Number:
                writer.WriteDouble(_number);
                break;
            case FieldType.Date:
                writer.WriteInt64(_date);
                break;
            case FieldType.Geo:
                writer.WriteDouble(_geo.Latitude);
                writer.WriteDouble(_geo.Longitude);
                break;
            default:
                PayloadCodec.WriteTags(writer, _tags!);
                break;
        }
    }

    internal static FieldValue Read(ref CanonicalReader reader, string what)
    {
        var type = (FieldType)reader.ReadByte();
        try
        {
            switch (type)
            {
                case FieldType.String:
                    return String(reader.ReadText(shortPrefix: false, LedgerLimits.MaxStringValueBytes, what));
                case FieldType.Number:
                    return Number(PayloadCodec.ReadDouble(ref reader));
                case FieldType.Date:
                    return Date(reader.ReadInt64());
                case FieldType.Geo:
                    var latitude = PayloadCodec.ReadDouble(ref reader);
                    return Geo(latitude, PayloadCodec.ReadDouble(ref reader));
                case FieldType.Tags:
                    return new(FieldType.Tags, tags: ImmutableSortedSet.Create(StringComparer.Ordinal, PayloadCodec.ReadTags(ref reader, what)));
                default:
                    CanonicalReader.Fail($"{what} has unknown field type {(byte)type}");
                    return null;
            }
        }
        catch (ArgumentException e)
        {
            throw LedgerRules.ToFormat(e, what);
        }
    }

    private InvalidOperationException WrongType(FieldType wanted) =>
        new($"This field value is a {Type.ToWireName()}, not a {wanted.ToWireName()}.");
}
