namespace ActorChain.Actors.Tests;

public sealed class ActorPathTests
{
    [Theory]
    [InlineData("actorchain://node1@10.0.0.5:4053/user/chain")]
    [InlineData("actorchain://node1/user/chain")]
    [InlineData("actorchain://node-1@localhost:1/system/remote/$7")]
    [InlineData("actorchain://sys@[::1]:4053/user/a")]
    [InlineData("actorchain://sys/")]
    public void Parse_ThenFormat_RoundTrips(string text)
    {
        var path = ActorPath.Parse(text);

        Assert.Equal(text, path.ToString());
        Assert.Equal(path, ActorPath.Parse(path.ToString()));
    }

    [Fact]
    public void Parse_GlobalPath_ExposesAddressAndElements()
    {
        var path = ActorPath.Parse("actorchain://node1@10.0.0.5:4053/user/chain");

        Assert.Equal(new Address("node1", "10.0.0.5", 4053), path.Address);
        Assert.True(path.Address.HasGlobalScope);
        Assert.Equal(["user", "chain"], path.Elements);
        Assert.Equal("chain", path.Name);
        Assert.Equal("/user/chain", path.ToStringWithoutAddress());
        Assert.Equal("actorchain://node1@10.0.0.5:4053/user", path.Parent!.ToString());
    }

    [Fact]
    public void LocalPath_HasNoHostAndFormatsWithoutIt()
    {
        var path = ActorPath.RootOf(new Address("node1")) / "user" / "chain";

        Assert.False(path.Address.HasGlobalScope);
        Assert.Equal("actorchain://node1/user/chain", path.ToString());
    }

    [Fact]
    public void WithAddress_KeepsElementsAndChangesAddress()
    {
        var local = ActorPath.Parse("actorchain://node1/user/chain");

        var global = local.WithAddress(new Address("node1", "127.0.0.1", 4053));

        Assert.Equal("actorchain://node1@127.0.0.1:4053/user/chain", global.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("akka://sys/user/a")]
    [InlineData("actorchain://")]
    [InlineData("actorchain://sys@host/user")]
    [InlineData("actorchain://sys@host:notaport/user")]
    [InlineData("actorchain://sys@host:70000/user")]
    [InlineData("actorchain://sys/user//a")]
    [InlineData("actorchain://sys/user/a/")]
    [InlineData("actorchain://s y s/user")]
    [InlineData("actorchain://sys/us er")]
    public void Parse_Malformed_IsRejected(string text)
    {
        Assert.False(ActorPath.TryParse(text, out _));
        Assert.Throws<FormatException>(() => ActorPath.Parse(text));
    }

    [Fact]
    public void Child_WithSlash_IsRejected()
    {
        var root = ActorPath.RootOf(new Address("sys"));

        Assert.Throws<InvalidActorNameException>(() => root / "a/b");
    }
}
