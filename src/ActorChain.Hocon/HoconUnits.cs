using System.Globalization;

namespace ActorChain.Hocon;

/// <summary>The spec's duration and size formats: a number, optional whitespace, then a unit.</summary>
internal static class HoconUnits
{
    private static readonly Dictionary<string, decimal> TicksPerDurationUnit = BuildDurationUnits();
    private static readonly Dictionary<string, decimal> BytesPerSizeUnit = BuildSizeUnits();

    /// <summary>A number without a unit is milliseconds, as the spec says. Units are lowercase only.</summary>
    public static bool TryParseDuration(string text, out TimeSpan value, out string error)
    {
        value = default;
        if (!TrySplit(text, allowNegative: true, out var number, out var unit, out error))
        {
            error = $"'{text}' is not a duration: {error} (e.g. 5s, 200ms, 1 minute, 2h, 1d)";
            return false;
        }

        if (!TicksPerDurationUnit.TryGetValue(unit.Length == 0 ? "ms" : unit, out var ticksPerUnit))
        {
            error = $"'{text}' is not a duration: unknown unit '{unit}' (use ns, us, ms, s, m, h or d, or their long names such as seconds)";
            return false;
        }

        var ticks = decimal.Round(number * ticksPerUnit, MidpointRounding.AwayFromZero);
        if (ticks > long.MaxValue || ticks < long.MinValue)
        {
            error = $"'{text}' is too long a duration";
            return false;
        }

        value = TimeSpan.FromTicks((long)ticks);
        return true;
    }

    /// <summary>
    /// A number without a unit is bytes. K/M/G/... alone are powers of two (as in java -Xmx);
    /// kB/MB/GB are powers of ten; KiB/MiB/GiB powers of two. Fractions of a byte are dropped.
    /// </summary>
    public static bool TryParseSize(string text, out long bytes, out string error)
    {
        bytes = 0;
        if (!TrySplit(text, allowNegative: false, out var number, out var unit, out error))
        {
            error = $"'{text}' is not a size in bytes: {error} (e.g. 128000b, 10K, 4MiB, 1GB)";
            return false;
        }

        if (!BytesPerSizeUnit.TryGetValue(unit.Length == 0 ? "B" : unit, out var perUnit))
        {
            error = $"'{text}' is not a size in bytes: unknown unit '{unit}' (use B, kB/MB/GB/TB for powers of 1000, K/M/G/T or KiB/MiB/GiB/TiB for powers of 1024)";
            return false;
        }

        try
        {
            var total = decimal.Truncate(number * perUnit);
            if (total <= long.MaxValue)
            {
                bytes = (long)total;
                return true;
            }
        }
        catch (OverflowException)
        {
        }

        error = $"'{text}' is too large a size for a 64-bit byte count";
        return false;
    }

    private static bool TrySplit(string text, bool allowNegative, out decimal number, out string unit, out string error)
    {
        number = 0;
        unit = string.Empty;
        error = string.Empty;
        var s = text.Trim();
        var end = 0;
        if (end < s.Length && (s[end] == '+' || (allowNegative && s[end] == '-')))
        {
            end++;
        }

        while (end < s.Length && (char.IsAsciiDigit(s[end]) || s[end] == '.'))
        {
            end++;
        }

        if (!decimal.TryParse(s[..end], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
                CultureInfo.InvariantCulture, out number))
        {
            error = s.StartsWith('-') && !allowNegative ? "it cannot be negative" : "it does not start with a number";
            return false;
        }

        unit = s[end..].TrimStart();
        return true;
    }

    private static Dictionary<string, decimal> BuildDurationUnits()
    {
        var units = new Dictionary<string, decimal>(StringComparer.Ordinal);
        Add(units, 0.01m, "ns", "nano", "nanos", "nanosecond", "nanoseconds");
        Add(units, 10m, "us", "micro", "micros", "microsecond", "microseconds");
        Add(units, TimeSpan.TicksPerMillisecond, "ms", "milli", "millis", "millisecond", "milliseconds");
        Add(units, TimeSpan.TicksPerSecond, "s", "second", "seconds");
        Add(units, TimeSpan.TicksPerMinute, "m", "minute", "minutes");
        Add(units, TimeSpan.TicksPerHour, "h", "hour", "hours");
        Add(units, TimeSpan.TicksPerDay, "d", "day", "days");
        return units;
    }

    private static Dictionary<string, decimal> BuildSizeUnits()
    {
        var units = new Dictionary<string, decimal>(StringComparer.Ordinal);
        Add(units, 1m, "B", "b", "byte", "bytes");
        (string Decimal, string Binary, string Letter)[] prefixes =
        [
            ("kilo", "kibi", "K"), ("mega", "mebi", "M"), ("giga", "gibi", "G"), ("tera", "tebi", "T"),
            ("peta", "pebi", "P"), ("exa", "exbi", "E"), ("zetta", "zebi", "Z"), ("yotta", "yobi", "Y"),
        ];
        decimal powerOfTen = 1m, powerOfTwo = 1m;
        foreach (var (decimalName, binaryName, letter) in prefixes)
        {
            powerOfTen *= 1000m;
            powerOfTwo *= 1024m;
            var decimalSymbol = letter == "K" ? "kB" : letter + "B";
            Add(units, powerOfTen, decimalSymbol, decimalName + "byte", decimalName + "bytes");
            Add(units, powerOfTwo, letter, letter.ToLowerInvariant(), letter + "i", letter + "iB", binaryName + "byte", binaryName + "bytes");
        }

        return units;
    }

    private static void Add(Dictionary<string, decimal> units, decimal factor, params string[] names)
    {
        foreach (var name in names)
        {
            units[name] = factor;
        }
    }
}
