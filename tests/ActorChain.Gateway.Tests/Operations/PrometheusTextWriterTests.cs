using ActorChain.Consensus.Actors;
using ActorChain.Gateway.Operations;

namespace ActorChain.Gateway.Tests.Operations;

public sealed class PrometheusTextWriterTests
{
    [Fact]
    public void LabelValues_WithQuotesBackslashesAndLineFeeds_AreEscapedAndReadBack()
    {
        var writer = new PrometheusTextWriter();
        writer.Family("actorchain_test_total", "help with \\ and \n in it", "counter", [([("route", "/a\"b\\c\nd")], 3)]);

        var text = writer.ToString();
        var document = Exposition.Parse(text);

        Assert.Contains("route=\"/a\\\"b\\\\c\\nd\"", text, StringComparison.Ordinal);
        Assert.Equal(3, document.Value("actorchain_test_total", ("route", "/a\"b\\c\nd")));
        Assert.Equal("help with \\\\ and \\n in it", document.Families["actorchain_test_total"].Help);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\\")]
    [InlineData("\"")]
    [InlineData("\\\"\\n")]
    [InlineData("\n\n")]
    [InlineData("ends with a backslash \\")]
    [InlineData("{}=,# é ü 日本")]
    public void AnyLabelValue_RoundTripsThroughTheFormat(string value)
    {
        var writer = new PrometheusTextWriter();
        writer.Family("actorchain_any", "h", "gauge", [([("v", value)], 1)]);

        var sample = Exposition.Parse(writer.ToString()).Families["actorchain_any"].Samples.Single();

        Assert.Equal(value, sample.Labels["v"]);
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(0.0025, "0.0025")]
    [InlineData(42d, "42")]
    [InlineData(1e21, "1E+21")]
    public void Values_AreWrittenAsPrometheusParsesThem(double value, string expected) =>
        Assert.Equal(expected, PrometheusTextWriter.FormatValue(value));

    [Fact]
    public void Histogram_IsCumulative_EndsInInf_AndCountsEqualTheInfBucket()
    {
        var histogram = new LatencyHistogram([0.01, 0.1, 1]);
        histogram.Observe(TimeSpan.FromMilliseconds(5));
        histogram.Observe(TimeSpan.FromMilliseconds(50));
        histogram.Observe(TimeSpan.FromMilliseconds(50));
        histogram.Observe(TimeSpan.FromSeconds(5));
        var (cumulative, sum) = histogram.Snapshot();
        var writer = new PrometheusTextWriter();

        writer.Histogram("actorchain_h_seconds", "h", histogram.Bounds, cumulative, sum);

        var document = Exposition.Parse(writer.ToString());
        Assert.Equal(1, document.Value("actorchain_h_seconds_bucket", ("le", "0.01")));
        Assert.Equal(3, document.Value("actorchain_h_seconds_bucket", ("le", "0.1")));
        Assert.Equal(3, document.Value("actorchain_h_seconds_bucket", ("le", "1")));
        Assert.Equal(4, document.Value("actorchain_h_seconds_bucket", ("le", "+Inf")));
        Assert.Equal(4, document.Value("actorchain_h_seconds_count"));
        Assert.Equal(5.105, document.Value("actorchain_h_seconds_sum"), 6);
    }

    [Fact]
    public void Observation_OnABound_FallsInThatBucket()
    {
        var histogram = new LatencyHistogram([0.5, 1]);

        histogram.Observe(TimeSpan.FromSeconds(0.5));

        Assert.Equal([1, 1, 1], histogram.Snapshot().Cumulative);
    }

    [Theory]
    [InlineData("1bad")]
    [InlineData("has-dash")]
    [InlineData("")]
    public void InvalidMetricName_IsRefused(string name) =>
        Assert.Throws<ArgumentException>(() => new PrometheusTextWriter().Gauge(name, "h", 1));

    [Fact]
    public void ReservedLabelName_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new PrometheusTextWriter().Family("actorchain_x", "h", "gauge", [([("__name__", "v")], 1)]));

    [Fact]
    public void HttpRequestCounters_CollapseUnknownMethods_SoTheLabelSetStaysBounded()
    {
        var counters = new HttpRequestCounters();

        counters.Count("/api/kv/{key}", "get", 200);
        counters.Count("/api/kv/{key}", "GET", 200);
        counters.Count("/api/kv/{key}", "BREW", 418);
        counters.Count("/api/kv/{key}", "SPILL", 418);

        Assert.Equal(2, counters.Get("/api/kv/{key}", "GET", 200));
        Assert.Equal(2, counters.Get("/api/kv/{key}", "OTHER", 418));
    }
}
