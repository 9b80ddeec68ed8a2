using FsCheck;
using FsCheck.Fluent;

namespace ActorChain.Hocon.Tests;

public sealed class TypedGetterTests
{
    [Theory]
    [InlineData("5s", 5_000)]
    [InlineData("200ms", 200)]
    [InlineData("1 minute", 60_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("3 days", 259_200_000)]
    [InlineData("1.5 seconds", 1_500)]
    [InlineData("10", 10)]
    [InlineData("\"250\"", 250)]
    [InlineData("2 milliseconds", 2)]
    public void GetDuration_ParsesSpecDurations(string written, long expectedMilliseconds)
    {
        var root = Hocon.Parse($"t = {written}");

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), root.GetDuration("t"));
    }

    [Theory]
    [InlineData("1500ns", 15)]
    [InlineData("3us", 30)]
    [InlineData("7 micros", 70)]
    public void GetDuration_BelowAMillisecond_KeepsTicks(string written, long expectedTicks)
    {
        Assert.Equal(TimeSpan.FromTicks(expectedTicks), Hocon.Parse($"t = {written}").GetDuration("t"));
    }

    [Theory]
    [InlineData("t = 5 parsecs", 1, 5, "unknown unit 'parsecs'")]
    [InlineData("a = 1\nt = soon", 2, 5, "does not start with a number")]
    [InlineData("t = 5S", 1, 5, "unknown unit 'S'")]
    [InlineData("t { x = 1 }", 1, 3, "should be a duration, but it is an object")]
    public void GetDuration_OfABadValue_IsAnErrorAtTheValue(string text, int line, int column, string reason)
    {
        var error = Assert.Throws<HoconException>(() => Hocon.Parse(text).GetDuration("t"));

        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("128000b", 128_000)]
    [InlineData("4MiB", 4L * 1024 * 1024)]
    [InlineData("10K", 10_240)]
    [InlineData("10k", 10_240)]
    [InlineData("1GB", 1_000_000_000)]
    [InlineData("1kB", 1_000)]
    [InlineData("2 kilobytes", 2_000)]
    [InlineData("2 mebibytes", 2L * 1024 * 1024)]
    [InlineData("1Gi", 1L << 30)]
    [InlineData("1.5K", 1_536)]
    [InlineData("3 bytes", 3)]
    [InlineData("1TB", 1_000_000_000_000)]
    [InlineData("1 EiB", 1L << 60)]
    [InlineData("42", 42)]
    public void GetByteSize_ParsesSpecSizes(string written, long expected)
    {
        Assert.Equal(expected, Hocon.Parse($"s = {written}").GetByteSize("s"));
    }

    [Theory]
    [InlineData("s = 5 furlongs", "unknown unit 'furlongs'")]
    [InlineData("s = \"-1K\"", "cannot be negative")]
    [InlineData("s = 1ZB", "too large")]
    [InlineData("s = 16EiB", "too large")]
    public void GetByteSize_OfABadValue_IsAnErrorAtTheValue(string text, string reason)
    {
        var error = Assert.Throws<HoconException>(() => Hocon.Parse(text).GetByteSize("s"));

        Assert.Equal((1, 5), (error.Line, error.Column));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ScalarGetters_ConvertAsTheSpecAllows()
    {
        var root = Hocon.Parse("""
            i = 42
            quoted-int = "17"
            big = 9000000000
            exp = 1e3
            d = 2.5
            yes = yes
            off = off
            t = true
            s = text
            list = [a, 1, true]
            """);

        Assert.Equal(42, root.GetInt("i"));
        Assert.Equal(17, root.GetInt("quoted-int"));
        Assert.Equal(9_000_000_000L, root.GetLong("big"));
        Assert.Equal(1000, root.GetInt("exp"));
        Assert.Equal(2.5, root.GetDouble("d"));
        Assert.True(root.GetBool("yes"));
        Assert.False(root.GetBool("off"));
        Assert.True(root.GetBool("t"));
        Assert.Equal("42", root.GetString("i"));
        Assert.Equal("text", root.GetString("s"));
        Assert.Equal(["a", "1", "true"], root.GetStringList("list"));
    }

    [Fact]
    public void GetInt_OfAValueTooLarge_IsAnError()
    {
        var error = Assert.Throws<HoconException>(() => Hocon.Parse("big = 9000000000").GetInt("big"));

        Assert.Contains("32-bit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Getters_OfTheWrongType_AreErrorsAtTheValue()
    {
        var root = Hocon.Parse("a = hello\nb = [1]\nc = null");

        Assert.Equal(1, Assert.Throws<HoconException>(() => root.GetInt("a")).Line);
        Assert.Equal(1, Assert.Throws<HoconException>(() => root.GetBool("a")).Line);
        Assert.Equal(1, Assert.Throws<HoconException>(() => root.GetDouble("a")).Line);
        Assert.Equal(1, Assert.Throws<HoconException>(() => root.GetStringList("a")).Line);
        Assert.Equal(2, Assert.Throws<HoconException>(() => root.GetString("b")).Line);
        Assert.Contains("null", Assert.Throws<HoconException>(() => root.GetString("c")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HasPath_IsFalseForMissingAndNullValues()
    {
        var root = Hocon.Parse("a { b = 1, n = null }");

        Assert.True(root.HasPath("a"));
        Assert.True(root.HasPath("a.b"));
        Assert.False(root.HasPath("a.n"));
        Assert.False(root.HasPath("a.c"));
        Assert.False(root.HasPath("a.b.c"));
        Assert.False(root.HasPath("x"));
    }

    [Fact]
    public void Getter_OfAMissingPath_NamesThePath()
    {
        var error = Assert.Throws<HoconException>(() => Hocon.Parse("a { b = 1 }").GetString("a.c"));

        Assert.Contains("no setting at 'a.c'", error.Message, StringComparison.Ordinal);
        Assert.Equal((1, 3), (error.Line, error.Column));
    }

    [Theory]
    [InlineData("a..b")]
    [InlineData("")]
    [InlineData("a.")]
    [InlineData("a{b")]
    public void Getter_WithAnInvalidPath_IsAnArgumentError(string path)
    {
        var root = Hocon.Parse("a.b = 1");

        Assert.Throws<ArgumentException>(() => root.GetString(path));
        Assert.Throws<ArgumentException>(() => root.HasPath(path));
    }

    [Fact]
    public void AnyString_QuotedWithJsonEscapes_ParsesBackUnchanged()
    {
        Prop.ForAll<string>(s =>
        {
            var text = s ?? string.Empty;
            return Hocon.Parse($"a = {Quote(text)}").GetString("a") == text;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void AnyByteSize_RoundTripsThroughItsText()
    {
        Prop.ForAll<long>(n =>
        {
            var size = new ByteSize(Math.Abs(n % long.MaxValue));
            return ByteSize.Parse(size.ToString()) == size;
        }).QuickCheckThrowOnFailure();
    }

    // Every character that is not plain printable ASCII as a \uXXXX escape, so lone surrogates round-trip too.
    private static string Quote(string text) =>
        "\"" + string.Concat(text.Select(c => c is >= ' ' and <= '~' and not '"' and not '\\' ? c.ToString() : $"\\u{(int)c:x4}")) + "\"";
}
