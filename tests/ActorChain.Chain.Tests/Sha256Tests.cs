using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;

namespace ActorChain.Chain.Tests;

public sealed class Sha256Tests
{
    [Fact]
    public void Hash_OfConcatenatedParts_EqualsTheFrameworksDigestOfTheWhole()
    {
        var parts = Gen.Choose(0, 3000).ArrayOf(3).Select(lengths => lengths.Select(RandomBytes).ToArray());

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), Prop.ForAll(parts.ToArbitrary(), p =>
        {
            var expected = new Hash256(SHA256.HashData([.. p[0], .. p[1], .. p[2]]));
            return Sha256.Hash(p[0], p[1], p[2]) == expected && Sha256.HashManaged(p[0], p[1], p[2]) == expected;
        }));
    }

    [Fact]
    public void HashNode_IsTheDigestOfNodePrefixLeftRight()
    {
        var pairs = ChainGenerators.Hash.Two();

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), Prop.ForAll(pairs.ToArbitrary(), p =>
            Sha256.HashNode(p.Item1, p.Item2) == new Hash256(SHA256.HashData([0x01, .. p.Item1.ToArray(), .. p.Item2.ToArray()]))));
    }

    [Fact]
    public void Hash_OfInputLargerThanOneNativeSlice_EqualsTheFrameworksDigest()
    {
        var data = RandomBytes(200_000);

        Assert.Equal(SHA256.HashData(data), Sha256.Hash(data.AsSpan(0, 70_000), data.AsSpan(70_000), default).ToArray());
    }

    [Fact]
    public void OnLinux_HashingUsesOpenSslsLowLevelFunctions()
    {
        // The framework's per-call overhead is what the chain's verification throughput goal cannot afford.
        if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("ACTORCHAIN_MANAGED_SHA256") != "1")
        {
            Assert.True(Sha256.IsNative);
        }
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
