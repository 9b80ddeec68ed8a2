using System.Globalization;
using ActorChain.Hocon.Parsing;

namespace ActorChain.Hocon;

/// <summary>
/// A parsed and fully resolved configuration. Paths use HOCON path syntax (<c>a.b."c.d"</c>).
/// Getters throw <see cref="HoconException"/> when the path is missing or the value has the
/// wrong shape; the message points at the value in its file.
/// </summary>
public sealed class HoconRoot
{
    internal HoconRoot(HoconObject root, string fileName)
    {
        Root = root;
        FileName = fileName;
    }

    internal HoconObject Root { get; }

    public string FileName { get; }

    /// <summary>True when the path holds a value other than null, as in the Lightbend library.</summary>
    public bool HasPath(string path) => TryFind(path, out var value, out _) && value.Type != HoconValueType.Null;

    public string GetString(string path) => Scalar(path, "a string").Text;

    public int GetInt(string path)
    {
        var value = Scalar(path, "an integer");
        var number = ParseInteger(value, "an integer");
        return number is >= int.MinValue and <= int.MaxValue
            ? (int)number
            : throw new HoconException(value.Origin, $"'{path}' is {number}, which does not fit in a 32-bit integer");
    }

    public long GetLong(string path) => ParseInteger(Scalar(path, "an integer"), "an integer");

    public double GetDouble(string path)
    {
        var value = Scalar(path, "a number");
        return double.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw WrongType(path, value, "a number");
    }

    /// <summary>Accepts true/false and, as the spec's conversions allow, yes/no and on/off.</summary>
    public bool GetBool(string path)
    {
        var value = Scalar(path, "a boolean");
        return value.Text switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw WrongType(path, value, "a boolean (true/false, yes/no, on/off)"),
        };
    }

    /// <summary>A HOCON duration (<c>5s</c>, <c>200ms</c>, <c>1 minute</c>); a bare number is milliseconds.</summary>
    public TimeSpan GetDuration(string path)
    {
        var value = Scalar(path, "a duration");
        return HoconUnits.TryParseDuration(value.Text, out var duration, out var error)
            ? duration
            : throw new HoconException(value.Origin, $"'{path}': {error}");
    }

    /// <summary>A HOCON size in bytes (<c>128000b</c>, <c>10K</c>, <c>4MiB</c>, <c>1GB</c>); a bare number is bytes.</summary>
    public long GetByteSize(string path)
    {
        var value = Scalar(path, "a size in bytes");
        return HoconUnits.TryParseSize(value.Text, out var bytes, out var error)
            ? bytes
            : throw new HoconException(value.Origin, $"'{path}': {error}");
    }

    public IReadOnlyList<string> GetStringList(string path)
    {
        var value = Find(path);
        if (value is not HoconArray array)
        {
            throw WrongType(path, value, "a list");
        }

        return [.. array.Items.Select((item, i) => item is HoconScalar { Type: not HoconValueType.Null } scalar
            ? scalar.Text
            : throw WrongType($"{path}[{i}]", item, "a string"))];
    }

    private HoconScalar Scalar(string path, string expected)
    {
        var value = Find(path);
        return value is HoconScalar { Type: not HoconValueType.Null } scalar ? scalar : throw WrongType(path, value, expected);
    }

    private static long ParseInteger(HoconScalar value, string expected)
    {
        if (long.TryParse(value.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        // 1e3 is an integer written as a JSON number.
        if (double.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)
            && real == Math.Floor(real) && real is >= long.MinValue and < long.MaxValue)
        {
            return (long)real;
        }

        throw new HoconException(value.Origin, $"expected {expected}, found {value.Describe()}");
    }

    private static HoconException WrongType(string path, HoconValue value, string expected) =>
        new(value.Origin, $"'{path}' should be {expected}, but it is {value.Describe()}");

    private HoconValue Find(string path)
    {
        if (TryFind(path, out var value, out var parent))
        {
            return value;
        }

        throw new HoconException(parent.Origin, $"no setting at '{path}'");
    }

    // On failure, parent is the deepest value found, to point the error at.
    private bool TryFind(string path, out HoconValue value, out HoconValue parent)
    {
        string[] elements;
        try
        {
            elements = Tokenizer.ParsePath(path, "path");
        }
        catch (HoconException e)
        {
            // The mistake is in the caller's path, not in the configuration file.
            throw new ArgumentException($"'{path}' is not a valid HOCON path: {e.Reason}", nameof(path), e);
        }

        value = Root;
        parent = Root;
        foreach (var element in elements)
        {
            parent = value;
            if (value is not HoconObject o || !o.Fields.TryGetValue(element, out var child))
            {
                return false;
            }

            value = child;
        }

        return true;
    }
}
