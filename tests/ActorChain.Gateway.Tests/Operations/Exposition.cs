using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ActorChain.Gateway.Tests.Operations;

/// <summary>
/// A strict reader of the Prometheus text exposition format 0.0.4, written from the format's rules
/// rather than from our writer: every line is checked as it is read, and a line that breaks a rule
/// fails the test with the line number and text.
/// </summary>
internal static partial class Exposition
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
    {
        public bool Has(string label, string value) => Labels.TryGetValue(label, out var v) && v == value;
    }

    public sealed class Family(string name, string type, string help)
    {
        public string Name { get; } = name;

        public string Type { get; } = type;

        public string Help { get; } = help;

        public List<Sample> Samples { get; } = [];
    }

    public sealed class Document(Dictionary<string, Family> families)
    {
        public IReadOnlyDictionary<string, Family> Families { get; } = families;

        public double Value(string name, params (string Label, string Value)[] labels) =>
            Find(name, labels) ?? throw new Xunit.Sdk.XunitException($"no sample {name}{{{string.Join(",", labels.Select(l => $"{l.Label}=\"{l.Value}\""))}}}");

        public double? Find(string name, params (string Label, string Value)[] labels) =>
            Families.Values.SelectMany(f => f.Samples).FirstOrDefault(s => s.Name == name && labels.All(l => s.Has(l.Label, l.Value)))?.Value;

        public double Sum(string name) => Families.Values.SelectMany(f => f.Samples).Where(s => s.Name == name).Sum(s => s.Value);
    }

    private static readonly string[] Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    public static Document Parse(string text)
    {
        Assert.True(text.Length == 0 || text.EndsWith('\n'), "the exposition must end with a line feed");
        Assert.DoesNotContain('\r', text);
        var families = new Dictionary<string, Family>(StringComparer.Ordinal);
        var helps = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var closed = new HashSet<string>(StringComparer.Ordinal);
        Family? current = null;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length - 1; i++)
        {
            var line = lines[i];
            void Check(bool condition, string rule) => Assert.True(condition, $"line {i + 1} breaks the format ({rule}): {line}");

            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                var parts = line.Split(' ', 4);
                if (parts.Length >= 3 && parts[1] == "HELP")
                {
                    Check(MetricName().IsMatch(parts[2]), "HELP names a valid metric");
                    Check(!helps.ContainsKey(parts[2]), "one HELP per metric");
                    var help = parts.Length == 4 ? parts[3] : string.Empty;
                    Check(ValidHelpEscapes(help), "HELP escapes only \\\\ and \\n");
                    helps[parts[2]] = help;
                }
                else if (parts.Length >= 3 && parts[1] == "TYPE")
                {
                    Check(parts.Length == 4 && Types.Contains(parts[3]), "TYPE is one of counter, gauge, histogram, summary, untyped");
                    Check(MetricName().IsMatch(parts[2]), "TYPE names a valid metric");
                    Check(!families.ContainsKey(parts[2]), "one TYPE per metric");
                    Check(!seen.Contains(parts[2]), "TYPE comes before the metric's first sample");
                    if (current is not null)
                    {
                        closed.Add(current.Name);
                    }

                    current = new Family(parts[2], parts[3], helps.GetValueOrDefault(parts[2], string.Empty));
                    families[parts[2]] = current;
                }

                continue;
            }

            var sample = ParseSample(line, Check);
            var family = FamilyOf(sample.Name, families);
            Check(family is not null, "a sample belongs to a family declared by a TYPE line");
            Check(family == current, "the samples of a family are contiguous");
            Check(!closed.Contains(family!.Name), "a family is not reopened");
            var identity = sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)) + "}";
            Check(seen.Add(identity), "no sample is repeated");
            seen.Add(sample.Name);
            family.Samples.Add(sample);
        }

        foreach (var family in families.Values.Where(f => f.Type == "histogram"))
        {
            CheckHistogram(family);
        }

        return new Document(families);
    }

    private static Family? FamilyOf(string sampleName, Dictionary<string, Family> families)
    {
        if (families.TryGetValue(sampleName, out var exact) && exact.Type != "histogram")
        {
            return exact;
        }

        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (sampleName.EndsWith(suffix, StringComparison.Ordinal) &&
                families.TryGetValue(sampleName[..^suffix.Length], out var histogram) && histogram.Type is "histogram" or "summary")
            {
                return histogram;
            }
        }

        return null;
    }

    private static void CheckHistogram(Family family)
    {
        var groups = family.Samples.GroupBy(s => string.Join(",", s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key).Select(l => l.Key + "=" + l.Value)));
        foreach (var group in groups)
        {
            var buckets = group.Where(s => s.Name == family.Name + "_bucket").ToList();
            Assert.True(buckets.Count > 0, $"{family.Name} has buckets");
            Assert.All(buckets, b => Assert.True(b.Labels.ContainsKey("le"), $"{family.Name}_bucket has an le label"));
            var bounds = buckets.Select(b => ParseValue(b.Labels["le"]) ?? double.NaN).ToList();
            Assert.True(double.IsPositiveInfinity(bounds[^1]), $"{family.Name}'s last bucket is le=\"+Inf\"");
            for (var i = 1; i < buckets.Count; i++)
            {
                Assert.True(bounds[i] > bounds[i - 1], $"{family.Name}'s bucket bounds rise");
                Assert.True(buckets[i].Value >= buckets[i - 1].Value, $"{family.Name}'s buckets are cumulative");
            }

            var count = group.Single(s => s.Name == family.Name + "_count").Value;
            Assert.Equal(buckets[^1].Value, count);
            Assert.True(group.Single(s => s.Name == family.Name + "_sum").Value >= 0, $"{family.Name}_sum of durations is not negative");
        }
    }

    private static Sample ParseSample(string line, Action<bool, string> check)
    {
        var nameEnd = 0;
        while (nameEnd < line.Length && line[nameEnd] is not ('{' or ' '))
        {
            nameEnd++;
        }

        var name = line[..nameEnd];
        check(MetricName().IsMatch(name), "a sample starts with a valid metric name");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var at = nameEnd;
        if (at < line.Length && line[at] == '{')
        {
            at++;
            while (at < line.Length && line[at] != '}')
            {
                var eq = line.IndexOf('=', at);
                check(eq > at, "a label is name=\"value\"");
                var label = line[at..eq];
                check(LabelName().IsMatch(label), "a label name is valid");
                check(eq + 1 < line.Length && line[eq + 1] == '"', "a label value is quoted");
                var value = new StringBuilder();
                at = eq + 2;
                while (true)
                {
                    check(at < line.Length, "a label value is closed");
                    var c = line[at];
                    if (c == '"')
                    {
                        at++;
                        break;
                    }

                    if (c == '\\')
                    {
                        check(at + 1 < line.Length && line[at + 1] is '\\' or '"' or 'n', "a label value escapes only \\\\, \\\" and \\n");
                        value.Append(line[at + 1] == 'n' ? '\n' : line[at + 1]);
                        at += 2;
                        continue;
                    }

                    value.Append(c);
                    at++;
                }

                check(labels.TryAdd(label, value.ToString()), "a label appears once per sample");
                if (at < line.Length && line[at] == ',')
                {
                    at++;
                }
            }

            check(at < line.Length, "the label set is closed with }");
            at++;
        }

        check(at < line.Length && line[at] == ' ', "the value follows one space");
        var rest = line[(at + 1)..].Split(' ');
        check(rest.Length is 1 or 2, "a sample is name, labels, value and an optional timestamp");
        var parsed = ParseValue(rest[0]);
        check(parsed is not null, "the value is a Go float (digits, +Inf, -Inf, NaN)");
        if (rest.Length == 2)
        {
            check(long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _), "the timestamp is an integer");
        }

        return new Sample(name, labels, parsed!.Value);
    }

    private static double? ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ when GoFloat().IsMatch(text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => null,
    };

    private static bool ValidHelpEscapes(string help)
    {
        for (var i = 0; i < help.Length; i++)
        {
            if (help[i] == '\\')
            {
                if (i + 1 >= help.Length || help[i + 1] is not ('\\' or 'n'))
                {
                    return false;
                }

                i++;
            }
        }

        return true;
    }

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    [GeneratedRegex(@"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")]
    private static partial Regex GoFloat();
}
