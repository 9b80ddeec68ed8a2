namespace ActorChain.Hocon.Tests;

public sealed class IncludeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Include_MergesTheIncludedFieldsAtThatPoint()
    {
        _dir.Write("base.conf", """
            a = from-base
            b = from-base
            obj { x = 1, y = 1 }
            """);
        var main = _dir.Write("main.conf", """
            a = before
            include "base.conf"
            b = after
            obj { y = 2 }
            """);

        var root = HoconParser.ParseFile(main);

        Assert.Equal("from-base", root.GetString("a"));
        Assert.Equal("after", root.GetString("b"));
        Assert.Equal(1, root.GetInt("obj.x"));
        Assert.Equal(2, root.GetInt("obj.y"));
    }

    [Fact]
    public void Include_FileAndRequiredForms_AreAccepted()
    {
        _dir.Write("one.conf", "one = 1");
        _dir.Write("two.conf", "two = 2");
        _dir.Write("three.conf", "three = 3");
        var main = _dir.Write("main.conf", """
            include file("one.conf")
            include required("two.conf")
            include required( file( "three.conf" ) )
            """);

        var root = HoconParser.ParseFile(main);

        Assert.Equal(6, root.GetInt("one") + root.GetInt("two") + root.GetInt("three"));
    }

    [Fact]
    public void Include_IsRelativeToTheIncludingFile()
    {
        _dir.Write("conf/sub/leaf.conf", "leaf = yes");
        _dir.Write("conf/sub/middle.conf", "include \"leaf.conf\"\nmiddle = yes");
        var main = _dir.Write("conf/main.conf", "include \"sub/middle.conf\"");

        var root = HoconParser.ParseFile(main);

        Assert.True(root.GetBool("leaf"));
        Assert.True(root.GetBool("middle"));
    }

    [Fact]
    public void Include_WithoutExtension_FindsTheConfFile()
    {
        _dir.Write("defaults.conf", "x = 1");
        var main = _dir.Write("main.conf", "include \"defaults\"");

        Assert.Equal(1, HoconParser.ParseFile(main).GetInt("x"));
    }

    [Fact]
    public void Include_InsideAnObject_FixesUpSubstitutionsBelowThatObject()
    {
        _dir.Write("foo.conf", "{ x : 10, y : ${x}, z : ${top} }");
        var main = _dir.Write("main.conf", """
            top = from-root
            a : { include "foo.conf" }
            b : { include "foo.conf" }
            b : { x : 42 }
            """);

        var root = HoconParser.ParseFile(main);

        Assert.Equal(10, root.GetInt("a.y"));
        Assert.Equal(42, root.GetInt("b.y"));
        Assert.Equal("from-root", root.GetString("a.z"));
    }

    [Fact]
    public void Include_SubstitutionsInTheIncludedFile_SeeTheWholeConfiguration()
    {
        _dir.Write("reference.conf", "port = 1\nurl = \"http://host:\"${port}");
        var main = _dir.Write("main.conf", "include \"reference.conf\"\nport = 2");

        Assert.Equal("http://host:2", HoconParser.ParseFile(main).GetString("url"));
    }

    [Fact]
    public void Include_OfAMissingFile_AddsNothing()
    {
        var main = _dir.Write("main.conf", "include \"nope.conf\"\na = 1");

        var root = HoconParser.ParseFile(main);

        Assert.Equal(1, root.GetInt("a"));
        Assert.Single(root.Root.Fields);
    }

    [Fact]
    public void RequiredInclude_OfAMissingFile_IsAnErrorAtTheFileName()
    {
        var main = _dir.Write("main.conf", "a = 1\n  include required(\"nope.conf\")");

        var error = Assert.Throws<HoconException>(() => HoconParser.ParseFile(main));

        Assert.Equal(main, error.FileName);
        Assert.Equal((2, 20), (error.Line, error.Column));
        Assert.Contains("nope.conf", error.Message, StringComparison.Ordinal);
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Include_Cycle_IsAnError()
    {
        _dir.Write("a.conf", "include \"b.conf\"");
        _dir.Write("b.conf", "include \"a.conf\"");

        var error = Assert.Throws<HoconException>(() => HoconParser.ParseFile(Path.Combine(_dir.Path, "a.conf")));

        Assert.Contains("include cycle", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("b.conf", error.FileName, StringComparison.Ordinal);
    }

    [Fact]
    public void Include_ErrorInsideTheIncludedFile_NamesThatFile()
    {
        var bad = _dir.Write("bad.conf", "ok = 1\nbroken = {");
        var main = _dir.Write("main.conf", "include \"bad.conf\"");

        var error = Assert.Throws<HoconException>(() => HoconParser.ParseFile(main));

        Assert.Equal(bad, error.FileName);
        Assert.Equal((2, 10), (error.Line, error.Column));
    }

    [Theory]
    [InlineData("include nope.conf")]
    [InlineData("include url(\"http://example.com/a.conf\")")]
    [InlineData("include classpath(\"a.conf\")")]
    [InlineData("include required(\"a.conf\"")]
    [InlineData("include \"a.conf\" \"b.conf\"")]
    public void Include_WithABadArgument_IsAnError(string text)
    {
        var error = Assert.Throws<HoconException>(() => HoconParser.Parse(text, Path.Combine(_dir.Path, "main.conf")));

        Assert.Equal(1, error.Line);
        Assert.Contains("include", error.Message, StringComparison.Ordinal);
    }
}
