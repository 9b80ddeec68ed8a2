using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace ActorChain.Persistence.Tests;

public sealed class Crc32CTests
{
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xC1D04330u)]
    [InlineData("abc", 0x364B3FB7u)]
    [InlineData("123456789", 0xE3069283u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x22620404u)]
    public void Compute_KnownVectors_Match(string text, uint expected)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        Assert.Equal(expected, Crc32C.Compute(bytes));
        Assert.Equal(expected, Crc32C.ComputeSoftware(bytes));
    }

    // RFC 3720 (iSCSI) appendix B.4 test patterns.
    [Fact]
    public void Compute_Rfc3720Vectors_Match()
    {
        var zeros = new byte[32];
        var ones = Enumerable.Repeat((byte)0xFF, 32).ToArray();
        var ascending = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var descending = Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray();
        foreach (var (data, expected) in new[] { (zeros, 0x8A9136AAu), (ones, 0x62A8AB43u), (ascending, 0x46DD794Eu), (descending, 0x113FDB5Cu) })
        {
            Assert.Equal(expected, Crc32C.Compute(data));
            Assert.Equal(expected, Crc32C.ComputeSoftware(data));
        }
    }

    [Fact]
    public void Compute_HardwareAndTablePaths_AgreeOnRandomBytes()
    {
        var property = Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes => Crc32C.Compute(bytes) == Crc32C.ComputeSoftware(bytes));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), property);
    }

    [Fact]
    public void Compute_HardwareAndTablePaths_AgreeOnEveryLengthAndAlignment()
    {
        var data = new byte[300];
        new Random(7).NextBytes(data);
        for (var start = 0; start < 9; start++)
        {
            for (var length = 0; length <= data.Length - start; length++)
            {
                var slice = data.AsSpan(start, length);
                Assert.Equal(Crc32C.ComputeSoftware(slice), Crc32C.Compute(slice));
            }
        }
    }

    [Fact]
    public void Compute_FlippedBit_ChangesChecksum()
    {
        var data = new byte[64];
        new Random(3).NextBytes(data);
        var original = Crc32C.Compute(data);
        for (var bit = 0; bit < data.Length * 8; bit++)
        {
            data[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.NotEqual(original, Crc32C.Compute(data));
            data[bit / 8] ^= (byte)(1 << (bit % 8));
        }
    }
}
