namespace ActorChain.Hocon;

internal enum HoconValueType
{
    Object,
    Array,
    String,
    Number,
    Boolean,
    Null,
}

/// <summary>A resolved value: no substitutions left.</summary>
internal abstract class HoconValue(HoconOrigin origin)
{
    public HoconOrigin Origin { get; } = origin;

    public abstract HoconValueType Type { get; }

    public string Describe() => Type switch
    {
        HoconValueType.Object => "an object",
        HoconValueType.Array => "an array",
        HoconValueType.Null => "null",
        HoconValueType.String => $"the string \"{((HoconScalar)this).Text}\"",
        _ => $"the {Type.ToString().ToLowerInvariant()} {((HoconScalar)this).Text}",
    };
}

internal sealed class HoconObject(HoconOrigin origin) : HoconValue(origin)
{
    public OrderedDictionary<string, HoconValue> Fields { get; } = new(StringComparer.Ordinal);

    public override HoconValueType Type => HoconValueType.Object;

    /// <summary>Later fields win; objects present on both sides merge recursively.</summary>
    public static HoconObject Merge(HoconObject lower, HoconObject upper)
    {
        var merged = new HoconObject(lower.Origin);
        foreach (var (key, value) in lower.Fields)
        {
            merged.Fields[key] = value;
        }

        foreach (var (key, value) in upper.Fields)
        {
            merged.Fields[key] = merged.Fields.TryGetValue(key, out var existing)
                && existing is HoconObject existingObject && value is HoconObject upperObject
                ? Merge(existingObject, upperObject)
                : value;
        }

        return merged;
    }
}

internal sealed class HoconArray(HoconOrigin origin, List<HoconValue> items) : HoconValue(origin)
{
    public List<HoconValue> Items { get; } = items;

    public override HoconValueType Type => HoconValueType.Array;
}

// Text is as written for numbers (so 1e5 stays 1e5) and decoded for strings.
internal sealed class HoconScalar(HoconOrigin origin, HoconValueType type, string text, bool wasQuoted) : HoconValue(origin)
{
    public override HoconValueType Type { get; } = type;

    public string Text { get; } = text;

    public bool WasQuoted { get; } = wasQuoted;
}
