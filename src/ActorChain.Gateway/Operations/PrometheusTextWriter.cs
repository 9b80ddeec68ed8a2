using System.Globalization;
using System.Text;

namespace ActorChain.Gateway.Operations;

/// <summary>
/// Writes the Prometheus text exposition format 0.0.4: for each metric family a <c># HELP</c> and
/// a <c># TYPE</c> line, then its samples, one per line, every line ending in <c>\n</c>.
/// </summary>
/// <remarks>
/// A family is written in one go (its samples are never interleaved with another family's),
/// because the format requires a family's lines to be contiguous.
/// </remarks>
internal sealed class PrometheusTextWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new(4096);

    public override string ToString() => _text.ToString();

    public void Counter(string name, string help, double value) => Single(name, help, "counter", value);

    public void Gauge(string name, string help, double value) => Single(name, help, "gauge", value);

    /// <summary>A family of samples distinguished by labels; <paramref name="samples"/> must not repeat a label set.</summary>
    public void Family(string name, string help, string type, IEnumerable<(IReadOnlyList<(string Name, string Value)> Labels, double Value)> samples)
    {
        Header(name, help, type);
        foreach (var (labels, value) in samples)
        {
            Sample(name, labels, value);
        }
    }

    /// <summary>
    /// A histogram: <c>_bucket</c> lines with cumulative counts per upper bound <c>le</c> (the last
    /// one +Inf), then <c>_sum</c> and <c>_count</c> (= the +Inf bucket).
    /// </summary>
    public void Histogram(string name, string help, IReadOnlyList<double> bounds, IReadOnlyList<long> cumulative, double sum)
    {
        if (cumulative.Count != bounds.Count + 1)
        {
            throw new ArgumentException("A histogram has one count per bound plus the +Inf bucket.", nameof(cumulative));
        }

        Header(name, help, "histogram");
        for (var i = 0; i <= bounds.Count; i++)
        {
            var le = i < bounds.Count ? FormatValue(bounds[i]) : "+Inf";
            Sample(name + "_bucket", [("le", le)], cumulative[i]);
        }

        Sample(name + "_sum", [], sum);
        Sample(name + "_count", [], cumulative[^1]);
    }

    /// <summary>Go's float formatting as Prometheus parses it: shortest round-trip form, +Inf, -Inf, NaN.</summary>
    public static string FormatValue(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Backslash and line feed are escaped in HELP text.</summary>
    public static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Backslash, double quote and line feed are escaped in label values.</summary>
    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public static bool IsValidMetricName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');

    public static bool IsValidLabelName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && !name.StartsWith("__", StringComparison.Ordinal) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private void Single(string name, string help, string type, double value)
    {
        Header(name, help, type);
        Sample(name, [], value);
    }

    private void Header(string name, string help, string type)
    {
        if (!IsValidMetricName(name))
        {
            throw new ArgumentException($"'{name}' is not a Prometheus metric name.", nameof(name));
        }

        _text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    private void Sample(string name, IReadOnlyList<(string Name, string Value)> labels, double value)
    {
        _text.Append(name);
        if (labels.Count > 0)
        {
            _text.Append('{');
            for (var i = 0; i < labels.Count; i++)
            {
                var (label, text) = labels[i];
                if (!IsValidLabelName(label))
                {
                    throw new ArgumentException($"'{label}' is not a Prometheus label name.", nameof(labels));
                }

                _text.Append(i == 0 ? string.Empty : ",").Append(label).Append("=\"").Append(EscapeLabelValue(text)).Append('"');
            }

            _text.Append('}');
        }

        _text.Append(' ').Append(FormatValue(value)).Append('\n');
    }
}
