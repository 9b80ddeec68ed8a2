namespace ActorChain.Hocon.Tests;

public sealed class ErrorTests
{
    [Fact]
    public void UnclosedBrace_PointsAtTheOpeningBrace()
    {
        var error = Hocon.Error("a = 1\nb {\n  c = 2\n");

        Assert.Equal((2, 3), (error.Line, error.Column));
        Assert.Contains("unclosed '{'", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("test.conf:2:3: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnclosedBracket_PointsAtTheOpeningBracket()
    {
        var error = Hocon.Error("a = [1,\n2");

        Assert.Equal((1, 5), (error.Line, error.Column));
        Assert.Contains("unclosed '['", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnterminatedString_PointsAtTheOpeningQuote()
    {
        var error = Hocon.Error("a = 1\nb = \"abc\nc = 2");

        Assert.Equal((2, 5), (error.Line, error.Column));
        Assert.Contains("unterminated string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnterminatedTripleQuotedString_PointsAtTheOpeningQuotes()
    {
        var error = Hocon.Error("a = \"\"\"abc\n\ndef");

        Assert.Equal((1, 5), (error.Line, error.Column));
        Assert.Contains("unterminated string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadEscape_PointsAtTheBackslash()
    {
        var error = Hocon.Error("a = \"x\\qy\"");

        Assert.Equal((1, 7), (error.Line, error.Column));
        Assert.Contains("bad escape", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a = ${b", 1, 5, "never closed")]
    [InlineData("a = ${}", 1, 5, "empty")]
    [InlineData("a = ${b..c}", 1, 5, "empty path element")]
    [InlineData("a = ${.b}", 1, 5, "empty path element")]
    [InlineData("a = ${b{}", 1, 8, "unexpected '{'")]
    [InlineData("a = $b", 1, 5, "'$' must start a substitution")]
    public void BadSubstitutionSyntax_IsAnErrorAtItsPosition(string text, int line, int column, string reason)
    {
        var error = Hocon.Error(text);

        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a = 1 = 2", 1, 7, "expected ',' or a new line after a field, found '='")]
    [InlineData("{ a = 1 }}", 1, 10, "unexpected '}'")]
    [InlineData("a = 1\n}", 2, 1, "unexpected '}'")]
    [InlineData("a = [,1]", 1, 6, "expected a value, found ','")]
    [InlineData("a = [1,,2]", 1, 8, "expected a value, found ','")]
    [InlineData("a = 1,,b = 2", 1, 7, "expected a key, found ','")]
    [InlineData("a = ", 1, 5, "expected a value, found end of file")]
    [InlineData("a 1", 1, 4, "expected ':', '=' or '{' after the key '\"a 1\"', found end of file")]
    [InlineData("a = b@c", 1, 6, "unexpected character '@'")]
    [InlineData("a = [1] x", 1, 5, "cannot concatenate")]
    [InlineData("a.b..c = 1", 1, 1, "empty path element")]
    [InlineData("${a} = 1", 1, 1, "substitution cannot be used as a key")]
    [InlineData("[1, 2]", 1, 1, "must be an object")]
    [InlineData("{ a = 1 } b = 2", 1, 11, "after the closing '}'")]
    public void UnexpectedToken_IsAnErrorAtItsPosition(string text, int line, int column, string reason)
    {
        var error = Hocon.Error(text);

        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorFromParseWithoutAFileName_UsesAPlaceholderName()
    {
        var error = Assert.Throws<HoconException>(() => HoconParser.Parse("a = {"));

        Assert.Equal("<string>", error.FileName);
        Assert.StartsWith("<string>:1:5: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorFromParse_NamesTheGivenFile()
    {
        var error = Assert.Throws<HoconException>(() => HoconParser.Parse("a = \"", "settings.conf"));

        Assert.StartsWith("settings.conf:1:5: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseFile_OfAMissingFile_IsAnErrorNamingTheFile()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"actorchain-hocon-missing-{Guid.NewGuid():N}.conf");

        var error = Assert.Throws<HoconException>(() => HoconParser.ParseFile(missing));

        Assert.Equal(missing, error.FileName);
        Assert.Equal(0, error.Line);
        Assert.StartsWith(missing + ": cannot read", error.Message, StringComparison.Ordinal);
    }
}
