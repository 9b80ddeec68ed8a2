namespace ActorChain.Hocon.Tests;

public sealed class SubstitutionTests
{
    [Fact]
    public void Substitution_LooksUpTheAbsolutePath_EvenLaterInTheFile()
    {
        var root = Hocon.Parse("""
            a = ${b.c}
            x { y = ${b.c} }
            b.c = 7
            """);

        Assert.Equal(7, root.GetInt("a"));
        Assert.Equal(7, root.GetInt("x.y"));
    }

    [Fact]
    public void Substitution_AloneKeepsTheType_OfNumbersObjectsAndArrays()
    {
        var root = Hocon.Parse("""
            n = 42
            o { k = v }
            l = [1, 2]
            a = ${n}
            b = ${o}
            c = ${l}
            """);

        Assert.Equal(HoconValueType.Number, root.Value("a").Type);
        Assert.Equal("v", root.GetString("b.k"));
        Assert.Equal(["1", "2"], root.GetStringList("c"));
    }

    [Fact]
    public void Substitution_InAStringConcatenation_IsRenderedAsText()
    {
        var root = Hocon.Parse("""
            animal.favorite = fox
            key : ${animal.favorite} is my favorite animal
            quoted : ${animal.favorite}" is my favorite animal"
            n = 5
            timeout = ${n}s
            """);

        Assert.Equal("fox is my favorite animal", root.GetString("key"));
        Assert.Equal("fox is my favorite animal", root.GetString("quoted"));
        Assert.Equal("5s", root.GetString("timeout"));
        Assert.Equal(TimeSpan.FromSeconds(5), root.GetDuration("timeout"));
    }

    [Fact]
    public void Substitution_LatestAssignmentWins_ForLookups()
    {
        var root = Hocon.Parse("""
            a = 1
            b = ${a}
            a = 2
            """);

        Assert.Equal(2, root.GetInt("b"));
    }

    [Fact]
    public void OptionalSubstitution_WhenMissing_DoesNotCreateTheField()
    {
        var root = Hocon.Parse("""
            foo : ${?bar}
            both : ${?bar}${?baz}
            """);

        Assert.False(root.HasPath("foo"));
        Assert.False(root.HasPath("both"));
        Assert.Empty(root.Root.Fields);
    }

    [Fact]
    public void OptionalSubstitution_WhenMissing_KeepsThePreviousValue()
    {
        var root = Hocon.Parse("""
            port = 4053
            port = ${?NOT_SET_ANYWHERE}
            """);

        Assert.Equal(4053, root.GetInt("port"));
    }

    [Fact]
    public void OptionalSubstitution_WhenMissing_InAStringConcatenation_IsEmpty()
    {
        var root = Hocon.Parse("""
            a = x${?missing}y
            b = ${?missing} [1]
            """);

        Assert.Equal("xy", root.GetString("a"));
        Assert.Equal(["1"], root.GetStringList("b"));
    }

    [Fact]
    public void OptionalSubstitution_WhenMissing_InAnArray_AddsNoElement()
    {
        var root = Hocon.Parse("a = [1, ${?missing}, 3]");

        Assert.Equal(["1", "3"], root.GetStringList("a"));
    }

    [Fact]
    public void Substitution_NotInTheConfig_FallsBackToTheEnvironment()
    {
        var root = Hocon.Parse("""
            home = ${HOME_DIR}
            id = ${?NODE_ID}
            path = ${HOME_DIR}/bin
            """, ("HOME_DIR", "/home/a"), ("NODE_ID", "node-7"));

        Assert.Equal("/home/a", root.GetString("home"));
        Assert.Equal("node-7", root.GetString("id"));
        Assert.Equal("/home/a/bin", root.GetString("path"));
    }

    [Fact]
    public void Substitution_OfAProcessEnvironmentVariable_IsResolved()
    {
        var name = "ACTORCHAIN_HOCON_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "from-env");
        try
        {
            var root = HoconParser.Parse($"a = ${{{name}}}\nb = ${{?{name}}}\nc = ${{?{name}_MISSING}}");

            Assert.Equal("from-env", root.GetString("a"));
            Assert.Equal("from-env", root.GetString("b"));
            Assert.False(root.HasPath("c"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void Substitution_OfAConfigValue_WinsOverTheEnvironment_EvenWhenNull()
    {
        var root = Hocon.Parse("""
            HOME = null
            a = ${HOME}
            b = ${PORT}
            PORT = 1
            """, ("HOME", "/home/a"), ("PORT", "2"));

        Assert.Equal(HoconValueType.Null, root.Value("a").Type);
        Assert.Equal(1, root.GetInt("b"));
    }

    [Fact]
    public void SelfReference_SeesTheValueItOverrides()
    {
        var root = Hocon.Parse("""
            path : "a:b:c"
            path : ${path}":d"
            path : ${path}":e"
            """);

        Assert.Equal("a:b:c:d:e", root.GetString("path"));
    }

    [Fact]
    public void SelfReference_InANestedObject_SeesTheValueItOverrides()
    {
        var root = Hocon.Parse("""
            x { path = "a" }
            x { path = ${x.path}":b" }
            x.path = ${x.path}":c"
            """);

        Assert.Equal("a:b:c", root.GetString("x.path"));
    }

    [Fact]
    public void SelfReference_WithArrays_Appends()
    {
        var root = Hocon.Parse("""
            path = [ /bin ]
            path = ${path} [ /usr/bin ]
            """);

        Assert.Equal(["/bin", "/usr/bin"], root.GetStringList("path"));
    }

    [Fact]
    public void PlusEquals_AppendsToThePreviousArray_OrStartsOne()
    {
        var root = Hocon.Parse("""
            a = [1]
            a += 2
            a += [3]
            b += x
            c { d += 1, d += 2 }
            """);

        var a = ((HoconArray)root.Value("a")).Items;
        Assert.Equal(3, a.Count);
        Assert.Equal(["1", "2"], a.Take(2).Select(v => ((HoconScalar)v).Text));
        Assert.IsType<HoconArray>(a[2]);
        Assert.Equal(["x"], root.GetStringList("b"));
        Assert.Equal(["1", "2"], root.GetStringList("c.d"));
    }

    [Fact]
    public void PlusEquals_OnANonArray_IsAnError()
    {
        var error = Hocon.Error("a = 1\na += 2");

        Assert.Equal(2, error.Line);
        Assert.Contains("cannot concatenate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionalSelfReference_WithNothingBefore_IsUndefined()
    {
        var root = Hocon.Parse("""
            a = ${?a}foo
            b : ${?b}
            """);

        Assert.Equal("foo", root.GetString("a"));
        Assert.False(root.HasPath("b"));
    }

    [Fact]
    public void SelfReference_WithNothingBefore_IsAnUndefinedSubstitutionError()
    {
        var error = Hocon.Error("foo : ${foo}");

        Assert.Contains("undefined substitution ${foo}", error.Message, StringComparison.Ordinal);
        Assert.Equal((1, 7), (error.Line, error.Column));
    }

    [Fact]
    public void ObjectInheritance_ThroughSubstitutionAndConcatenation_Merges()
    {
        var root = Hocon.Parse("""
            data-center-generic = { cluster-size = 6 }
            data-center-east = ${data-center-generic} { name = "east" }
            """);

        Assert.Equal(6, root.GetInt("data-center-east.cluster-size"));
        Assert.Equal("east", root.GetString("data-center-east.name"));
    }

    [Fact]
    public void SubstitutionOfAnObject_OverAnObject_Merges()
    {
        var root = Hocon.Parse("""
            a = { x = 1 }
            a = ${b}
            b = { y = 2 }
            """);

        Assert.Equal(1, root.GetInt("a.x"));
        Assert.Equal(2, root.GetInt("a.y"));
    }

    [Fact]
    public void SelfReference_IntoAPath_LooksBelowAndMerges()
    {
        var root = Hocon.Parse("""
            foo : { a : { c : 1 } }
            foo : ${foo.a}
            foo : { a : 2 }
            """);

        Assert.Equal(2, root.GetInt("foo.a"));
        Assert.Equal(1, root.GetInt("foo.c"));
    }

    [Fact]
    public void ObjectReferringToItsOwnField_LooksForward()
    {
        var root = Hocon.Parse("""
            bar : { foo : 42,
                    baz : ${bar.foo}
                  }
            bar : { foo : 43 }
            """);

        Assert.Equal(43, root.GetInt("bar.baz"));
    }

    [Fact]
    public void MutuallyReferringObjects_Resolve()
    {
        var root = Hocon.Parse("""
            bar : { a : ${foo.d}, b : 1 }
            bar.b = 3
            foo : { c : ${bar.b}, d : 2 }
            foo.d = 4
            """);

        Assert.Equal(4, root.GetInt("bar.a"));
        Assert.Equal(3, root.GetInt("foo.c"));
    }

    [Fact]
    public void SubstitutionHiddenByALaterPlainValue_IsNeverEvaluated()
    {
        var root = Hocon.Parse("""
            foo : ${does-not-exist}
            foo : 42
            bar : ${bar}, bar : 1
            """);

        Assert.Equal(42, root.GetInt("foo"));
        Assert.Equal(1, root.GetInt("bar"));
    }

    [Fact]
    public void SubstitutionInsideQuotes_IsLiteralText()
    {
        Assert.Equal("${a}", Hocon.Parse("a = 1\nb = \"${a}\"").GetString("b"));
    }

    [Fact]
    public void Cycle_ThroughSeveralFields_IsAnError()
    {
        var error = Hocon.Error("""
            a : ${b}
            b : ${c}
            c : ${a}
            """);

        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
        Assert.Equal((3, 5), (error.Line, error.Column));
        Assert.Contains("${a} at 3:5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cycle_FromInsideTheObjectItRefersTo_IsAnError()
    {
        var error = Hocon.Error("a : { b : ${a} }");

        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
        Assert.Equal((1, 11), (error.Line, error.Column));
    }

    [Fact]
    public void Cycle_ThroughAnArrayElement_IsAnError()
    {
        var error = Hocon.Error("a : [${a}]");

        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UndefinedSubstitution_IsAnErrorAtItsPosition()
    {
        var error = Hocon.Error("a = 1\nb = x ${no.such.path}");

        Assert.Equal((2, 7), (error.Line, error.Column));
        Assert.Equal("test.conf", error.FileName);
        Assert.Contains("undefined substitution ${no.such.path}", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("test.conf:2:7: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SubstitutionWithQuotedPathElement_FindsKeysWithDots()
    {
        var root = Hocon.Parse("""
            a { "b.c" = 5 }
            d = ${a."b.c"}
            """);

        Assert.Equal(5, root.GetInt("d"));
    }

    [Fact]
    public void CycleThroughAnOverride_IsBrokenByLookingBackAtTheOverriddenValue()
    {
        var root = Hocon.Parse("""
            a = { x = 1 }
            a = ${b}
            b = { y = ${a.x} }
            """);

        Assert.Equal(1, root.GetInt("b.y"));
        Assert.Equal(1, root.GetInt("a.x"));
        Assert.Equal(1, root.GetInt("a.y"));
    }

    [Fact]
    public void SelfReference_BeforeAnyValue_ThenAnObject_IsAnError()
    {
        var error = Hocon.Error("foo : ${foo}\nfoo : { a : 1 }");

        Assert.Contains("undefined substitution ${foo}", error.Message, StringComparison.Ordinal);
        Assert.Equal((1, 7), (error.Line, error.Column));
    }
}
