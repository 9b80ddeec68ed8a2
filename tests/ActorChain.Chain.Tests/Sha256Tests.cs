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
            var expected = SHA256.HashData([.. p[0], .. p[1], .. p[2]]);
            Span<byte> managed = stackalloc byte[32];
            Sha256.HashManaged(p[0], p[1], p[2], managed);
            return Sha256.Hash(p[0], p[1], p[2]).ToArray().SequenceEqual(expected) && managed.SequenceEqual(expected);
        }));
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
