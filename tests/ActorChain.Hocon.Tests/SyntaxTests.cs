namespace ActorChain.Hocon.Tests;

public sealed class SyntaxTests
{
    [Fact]
    public void Comments_WithHashOrDoubleSlash_AreIgnored()
    {
        var root = Hocon.Parse("""
            # a comment
            a = 1 // trailing comment
            // another
            b = "x # not a comment" # comment
            c = a/b//c
            """);

        Assert.Equal(1, root.GetInt("a"));
        Assert.Equal("x # not a comment", root.GetString("b"));
        Assert.Equal("a/b", root.GetString("c"));
    }

    [Fact]
    public void Separators_EqualsColonAndBraceShorthand_AreEquivalent()
    {
        var root = Hocon.Parse("""
            a = { x = 1 }
            b : { x : 1 }
            c { x = 1 }
            """);

        Assert.Equal(1, root.GetInt("a.x"));
        Assert.Equal(1, root.GetInt("b.x"));
        Assert.Equal(1, root.GetInt("c.x"));
    }

    [Fact]
    public void RootBraces_MayBeWrittenOrOmitted()
    {
        Assert.Equal(42, Hocon.Parse("{ foo : 42 }").GetInt("foo"));
        Assert.Equal(42, Hocon.Parse("foo : 42").GetInt("foo"));
    }

    [Fact]
    public void Json_IsValidHocon()
    {
        var root = Hocon.Parse("""
            { "name": "chain", "nodes": [1, 2.5, -3e2], "on": true, "none": null, "inner": { "k": "v" } }
            """);

        Assert.Equal("chain", root.GetString("name"));
        Assert.Equal(["1", "2.5", "-3e2"], root.GetStringList("nodes"));
        Assert.True(root.GetBool("on"));
        Assert.Equal(HoconValueType.Null, root.Value("none").Type);
        Assert.Equal("v", root.GetString("inner.k"));
    }

    [Fact]
    public void DottedKey_ExpandsToNestedObjects()
    {
        var root = Hocon.Parse("""
            a.b.c = 1
            foo.bar : 42
            a.x : 42, a.y : 43
            """);

        Assert.Equal(1, root.GetInt("a.b.c"));
        Assert.Equal(42, root.GetInt("foo.bar"));
        Assert.Equal(42, root.GetInt("a.x"));
        Assert.Equal(43, root.GetInt("a.y"));
        Assert.IsType<HoconObject>(root.Value("a", "b"));
    }

    [Fact]
    public void QuotedKeySegment_KeepsItsDots()
    {
        var root = Hocon.Parse("""
            a."b.c".d = 1
            "x.y" = 2
            """);

        Assert.Equal(1, root.GetInt("a.\"b.c\".d"));
        Assert.Equal(2, root.GetInt("\"x.y\""));
        Assert.False(root.HasPath("x.y"));
        Assert.Equal(["a", "x.y"], root.Root.Fields.Keys);
    }

    [Fact]
    public void KeysThatLookLikeOtherTypes_BecomeStrings_AndNumbersSplitAtDots()
    {
        var root = Hocon.Parse("""
            true : 1
            3 : 2
            1.5 : 3
            a b c : 4
            foo include : 5
            """);

        Assert.Equal(1, root.GetInt("\"true\""));
        Assert.Equal(2, root.GetInt("\"3\""));
        Assert.Equal(3, root.GetInt("\"1\".\"5\""));
        Assert.Equal(4, root.GetInt("\"a b c\""));
        Assert.Equal(5, root.GetInt("\"foo include\""));
    }

    [Fact]
    public void DuplicateObjectKeys_Merge()
    {
        var root = Hocon.Parse("""
            foo : { a : 42 }
            foo : { b : 43 }
            """);

        Assert.Equal(42, root.GetInt("foo.a"));
        Assert.Equal(43, root.GetInt("foo.b"));
    }

    [Fact]
    public void DuplicateKeys_NonObjectLaterValue_Replaces()
    {
        var root = Hocon.Parse("""
            a = 1
            a = 2
            b = { x = 1 }
            b = 3
            """);

        Assert.Equal(2, root.GetInt("a"));
        Assert.Equal(3, root.GetInt("b"));
    }

    [Fact]
    public void NullBetweenObjects_PreventsTheMerge()
    {
        var root = Hocon.Parse("""
            foo : { a : 42 },
            foo : null,
            foo : { b : 43 }
            """);

        Assert.False(root.HasPath("foo.a"));
        Assert.Equal(43, root.GetInt("foo.b"));
    }

    [Fact]
    public void Arrays_SeparateElementsWithCommasOrNewlines_AndAllowOneTrailingComma()
    {
        var root = Hocon.Parse("""
            a = [1, 2, 3]
            b = [1, 2, 3,]
            c = [
              1
              2
              3
            ]
            d = []
            """);

        Assert.Equal(["1", "2", "3"], root.GetStringList("a"));
        Assert.Equal(["1", "2", "3"], root.GetStringList("b"));
        Assert.Equal(["1", "2", "3"], root.GetStringList("c"));
        Assert.Empty(root.GetStringList("d"));
    }

    [Fact]
    public void FieldsOfAnObject_SeparateWithCommasOrNewlines()
    {
        var root = Hocon.Parse("a { x = 1, y = 2,\n z = 3 }");

        Assert.Equal(6, root.GetInt("a.x") + root.GetInt("a.y") + root.GetInt("a.z"));
    }

    [Fact]
    public void ValueConcatenation_OfSimpleValues_KeepsInnerWhitespace_AndTrimsTheEnds()
    {
        var root = Hocon.Parse("""
            a =   foo bar   baz
            b = true foo
            c = "foo " bar
            d = 1 2 3
            """);

        Assert.Equal("foo bar   baz", root.GetString("a"));
        Assert.Equal("true foo", root.GetString("b"));
        Assert.Equal("foo  bar", root.GetString("c"));
        Assert.Equal("1 2 3", root.GetString("d"));
        Assert.Equal(HoconValueType.String, root.Value("b").Type);
    }

    [Fact]
    public void SingleValue_KeepsItsType()
    {
        var root = Hocon.Parse("""
            t = true
            f = false
            n = null
            i = 42
            d = -1.5e3
            s = hello
            """);

        Assert.Equal(HoconValueType.Boolean, root.Value("t").Type);
        Assert.Equal(HoconValueType.Boolean, root.Value("f").Type);
        Assert.Equal(HoconValueType.Null, root.Value("n").Type);
        Assert.Equal(HoconValueType.Number, root.Value("i").Type);
        Assert.Equal(HoconValueType.Number, root.Value("d").Type);
        Assert.Equal(HoconValueType.String, root.Value("s").Type);
        Assert.Equal(-1500d, root.GetDouble("d"));
        Assert.Equal("-1.5e3", root.GetString("d"));
    }

    [Fact]
    public void UnquotedText_StartingWithANumber_SplitsThenConcatenatesWithOriginalText()
    {
        var root = Hocon.Parse("""
            a = 10.0foo
            b = 5s
            c = 127.0.0.1
            d = 2024-01-31
            e = 1e5
            f = truefoo
            g = /usr/bin
            """);

        Assert.Equal("10.0foo", root.GetString("a"));
        Assert.Equal("5s", root.GetString("b"));
        Assert.Equal("127.0.0.1", root.GetString("c"));
        Assert.Equal(HoconValueType.String, root.Value("c").Type);
        Assert.Equal("2024-01-31", root.GetString("d"));
        Assert.Equal("1e5", root.GetString("e"));
        Assert.Equal("truefoo", root.GetString("f"));
        Assert.Equal("/usr/bin", root.GetString("g"));
    }

    [Fact]
    public void ArrayConcatenation_JoinsArraysOnOneLine()
    {
        var root = Hocon.Parse("""
            a = [1, 2] [3, 4]
            b = [ 1 2 3 4 ]
            c = [ [ 1, 2 ] [ 3, 4 ] ]
            d = [ [ 1, 2 ]
                  [ 3, 4 ] ]
            """);

        Assert.Equal(["1", "2", "3", "4"], root.GetStringList("a"));
        Assert.Equal(["1 2 3 4"], root.GetStringList("b"));
        Assert.Single(((HoconArray)root.Value("c")).Items);
        Assert.Equal(4, ((HoconArray)((HoconArray)root.Value("c")).Items[0]).Items.Count);
        Assert.Equal(2, ((HoconArray)root.Value("d")).Items.Count);
    }

    [Fact]
    public void ObjectConcatenation_MergesObjectsOnOneLine()
    {
        var root = Hocon.Parse("a : { b : 1 } { c : 2 }\nx : { y : 1 } { y : 2 }");

        Assert.Equal(1, root.GetInt("a.b"));
        Assert.Equal(2, root.GetInt("a.c"));
        Assert.Equal(2, root.GetInt("x.y"));
    }

    [Fact]
    public void QuotedStrings_DecodeJsonEscapes()
    {
        var root = Hocon.Parse("""
            a = "tab\there\nnew \"q\" \\ \/ \u0041\u00e9"
            b = ""
            """);

        Assert.Equal("tab\there\nnew \"q\" \\ / A\u00e9", root.GetString("a"));
        Assert.Equal(string.Empty, root.GetString("b"));
        Assert.True(((HoconScalar)root.Value("a")).WasQuoted);
    }

    [Fact]
    public void TripleQuotedStrings_SpanLines_AndKeepBackslashesAndExtraQuotes()
    {
        var root = Hocon.Parse("a = \"\"\"line one\n  \"line\" two \\n\"\"\"\nb = \"\"\"foo\"\"\"\"\nc = 1");

        Assert.Equal("line one\n  \"line\" two \\n", root.GetString("a"));
        Assert.Equal("foo\"", root.GetString("b"));
        Assert.Equal(1, root.GetInt("c"));
    }

    [Fact]
    public void IncludeWord_IsOnlySpecialAtTheStartOfAKey()
    {
        var root = Hocon.Parse("""
            foo : include
            bar = [ include ]
            "include" : 42
            """);

        Assert.Equal("include", root.GetString("foo"));
        Assert.Equal(["include"], root.GetStringList("bar"));
        Assert.Equal(42, root.GetInt("include"));
    }

    [Fact]
    public void CarriageReturns_AreWhitespace()
    {
        var root = Hocon.Parse("a = 1\r\nb = two words\r\n");

        Assert.Equal(1, root.GetInt("a"));
        Assert.Equal("two words", root.GetString("b"));
    }
}
