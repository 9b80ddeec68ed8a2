namespace ActorChain.Chain.Tests;

public sealed class EntryKindsTests
{
    [Theory]
    [InlineData(EntryKind.Genesis, "chain.genesis", 0)]
    [InlineData(EntryKind.KvPut, "kv.put", 1)]
    [InlineData(EntryKind.KvDelete, "kv.delete", 2)]
    [InlineData(EntryKind.FileAdd, "file.add", 3)]
    [InlineData(EntryKind.FileMeta, "file.meta", 4)]
    [InlineData(EntryKind.FileDelete, "file.delete", 5)]
    [InlineData(EntryKind.FieldDefine, "field.define", 6)]
    [InlineData(EntryKind.TaskClaim, "task.claim", 7)]
    [InlineData(EntryKind.VoterAdd, "voter.add", 8)]
    [InlineData(EntryKind.VoterRemove, "voter.remove", 9)]
    public void WireName_RoundTripsAndKeepsItsByte(EntryKind kind, string name, byte value)
    {
        Assert.Equal(name, kind.ToWireName());
        Assert.True(EntryKinds.TryParse(name, out var parsed));
        Assert.Equal(kind, parsed);
        Assert.Equal(value, (byte)kind);
        Assert.True(EntryKinds.IsDefined(kind));
    }

    [Fact]
    public void EveryDefinedKind_HasADistinctWireName()
    {
        var kinds = Enum.GetValues<EntryKind>();

        Assert.Equal(kinds.Length, kinds.Select(k => k.ToWireName()).Distinct().Count());
        Assert.All(kinds, k => Assert.True(EntryKinds.IsDefined(k)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("KV.PUT")]
    [InlineData("kv")]
    [InlineData("kv.put ")]
    public void TryParse_UnknownName_IsFalse(string name)
    {
        Assert.False(EntryKinds.TryParse(name, out _));
    }

    [Fact]
    public void UndefinedKind_HasNoWireName()
    {
        Assert.False(EntryKinds.IsDefined((EntryKind)10));
        Assert.Throws<ArgumentOutOfRangeException>(() => ((EntryKind)10).ToWireName());
    }
}
