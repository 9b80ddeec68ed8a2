namespace ActorChain.Chain.Ledger;

/// <summary>The type of a defined metadata field. The byte values are part of the payload encoding: never renumber.</summary>
public enum FieldType : byte
{
    String = 1,
    Number = 2,
    Date = 3,
    Geo = 4,
    Tags = 5,
}

public static class FieldTypes
{
    public static bool IsDefined(FieldType type) => type is >= FieldType.String and <= FieldType.Tags;

    /// <summary>The lower-case name used in JSON: <c>string</c>, <c>number</c>, <c>date</c>, <c>geo</c>, <c>tags</c>.</summary>
    public static string ToWireName(this FieldType type) => type switch
    {
        FieldType.String => "string",
        FieldType.Number => "number",
        FieldType.Date => "date",
        FieldType.Geo => "geo",
        FieldType.Tags => "tags",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown field type."),
    };

    public static bool TryParse(string? name, out FieldType type)
    {
        type = name switch
        {
            "string" => FieldType.String,
            "number" => FieldType.Number,
            "date" => FieldType.Date,
            "geo" => FieldType.Geo,
            "tags" => FieldType.Tags,
            _ => 0,
        };
        return type != 0;
    }
}
