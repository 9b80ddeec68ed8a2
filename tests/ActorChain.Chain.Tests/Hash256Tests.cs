using System.Security.Cryptography;

namespace ActorChain.Chain.Tests;

public sealed class Hash256Tests
{
    // FIPS 180-2 test vector: SHA-256("abc").
    private const string AbcDigest = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    [Fact]
    public void Compute_Abc_IsTheStandardTestVector()
    {
        Assert.Equal(AbcDigest, Hash256.Compute("abc"u8).ToString());
    }

    [Fact]
    public void ParseThenFormat_RoundTripsLowerCaseHex()
    {
        var hash = Hash256.Parse(AbcDigest);

        Assert.Equal(AbcDigest, hash.ToString());
        Assert.Equal(Convert.FromHexString(AbcDigest), hash.ToArray());
    }

    [Fact]
    public void Parse_UpperCaseHex_IsTheSameHash()
    {
        Assert.Equal(Hash256.Parse(AbcDigest), Hash256.Parse(AbcDigest.ToUpperInvariant()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015adff")]
    [InlineData("zz7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    public void Parse_NotSixtyFourHexDigits_IsRejected(string text)
    {
        Assert.False(Hash256.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Hash256.Parse(text));
    }

    [Fact]
    public void TryParse_Null_IsFalse()
    {
        Assert.False(Hash256.TryParse(null, out var hash));
        Assert.True(hash.IsZero);
    }

    [Fact]
    public void Equality_FollowsTheBytes()
    {
        var a = Hash256.Compute([1]);
        var same = new Hash256(a.ToArray());
        var other = Hash256.Compute([2]);

        Assert.True(a == same);
        Assert.False(a != same);
        Assert.True(a.Equals((object)same));
        Assert.Equal(a.GetHashCode(), same.GetHashCode());
        Assert.True(a != other);
        Assert.False(a.Equals(other));
        Assert.False(a.Equals("not a hash"));
    }

    [Fact]
    public void Equality_EachByteCounts()
    {
        var bytes = Hash256.Compute([1]).ToArray();
        for (var i = 0; i < Hash256.Size; i++)
        {
            var changed = (byte[])bytes.Clone();
            changed[i] ^= 1;
            Assert.NotEqual(new Hash256(bytes), new Hash256(changed));
        }
    }

    [Fact]
    public void Zero_IsAllZeroBytesAndDefault()
    {
        Assert.True(Hash256.Zero.IsZero);
        Assert.Equal(default, Hash256.Zero);
        Assert.Equal(new byte[Hash256.Size], Hash256.Zero.ToArray());
        Assert.False(Hash256.Compute([]).IsZero);
    }

    [Fact]
    public void Constructor_WrongLength_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => new Hash256(new byte[31]));
        Assert.Throws<ArgumentException>(() => new Hash256(new byte[33]));
    }

    [Fact]
    public void Compute_AgreesWithTheFramework()
    {
        var data = new byte[1000];
        Random.Shared.NextBytes(data);

        Assert.Equal(SHA256.HashData(data), Hash256.Compute(data).ToArray());
    }
}
