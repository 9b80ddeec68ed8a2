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

    [Fact]
    public void Hash_OfEveryLengthUpTo1100_EqualsTheFrameworksDigest()
    {
        // Every padding case (tail of 0..63 bytes, one or two padding blocks) and both the
        // single-call path (up to 1015 bytes) and the Init/Update/Final path beyond it.
        var random = new Random(20261121);
        for (var length = 0; length <= 1100; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            var split = random.Next(length + 1);

            var expected = SHA256.HashData(data);

            Assert.Equal(expected, Sha256.Hash(data).ToArray());
            Assert.Equal(expected, Sha256.Hash(data.AsSpan(0, split), data.AsSpan(split), default).ToArray());
        }
    }

    [Fact]
    public void SelfTest_ProvesTheManagedInitialisedContext_AtEveryPaddingBoundary()
    {
        // The native path is only safe because the load-time self-test ran the managed-initialised
        // SHA256_CTX on these lengths and found the framework's digest for each.
        int[] required = [0, 1, 55, 56, 63, 64, 65, 119, 120, 297, 1000];
        if (!Sha256.IsNative)
        {
            Assert.False(Sha256.SelfTest.Passed);
            return;
        }

        Assert.True(Sha256.SelfTest.Passed);
        Assert.Superset(new HashSet<int>(required), new HashSet<int>(Sha256.SelfTest.CompressedLengths));
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
