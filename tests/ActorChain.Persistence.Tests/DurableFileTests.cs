using System.Buffers;

namespace ActorChain.Persistence.Tests;

public sealed class DurableFileTests
{
    [Fact]
    public void ReuseBuffer_HandsBackTheSameBufferEmptied_ButNotOneThatGrewPastTheRetainedSize()
    {
        ArrayBufferWriter<byte>? kept = null;
        var first = DurableFile.ReuseBuffer(ref kept);
        first.Write("a record"u8);

        var second = DurableFile.ReuseBuffer(ref kept);
        Assert.Same(first, second);
        Assert.Equal(0, second.WrittenCount);

        second.Write(new byte[DurableFile.RetainedBufferBytes + 1]);
        var third = DurableFile.ReuseBuffer(ref kept);
        Assert.NotSame(second, third);
        Assert.Same(third, kept);
        Assert.True(third.Capacity <= DurableFile.RetainedBufferBytes);
    }

    [Fact]
    public async Task WriteInPlace_SyncsWithinTheZeros_AndGrowsByWholeStepsPastThem()
    {
        using var directory = new TempDirectory();
        var large = new byte[DurableFile.GrowBytes + 10];
        large.AsSpan().Fill(7);
        using (var handle = File.OpenHandle(directory.Combine("f"), FileMode.CreateNew, FileAccess.ReadWrite))
        {
            var allocated = DurableFile.WriteInPlace(handle, "abc"u8, 0, 0);
            Assert.Equal(DurableFile.GrowBytes, allocated);
            Assert.Equal(DurableFile.GrowBytes, RandomAccess.GetLength(handle));

            Assert.Equal(allocated, DurableFile.WriteInPlace(handle, "def"u8, 3, allocated));
            allocated = DurableFile.WriteInPlace(handle, large, 6, allocated);
            Assert.Equal(2L * DurableFile.GrowBytes, allocated);
        }

        var bytes = await File.ReadAllBytesAsync(directory.Combine("f"));
        Assert.Equal(2 * DurableFile.GrowBytes, bytes.Length);
        Assert.Equal("abcdef"u8.ToArray(), bytes[..6]);
        Assert.All(bytes[6..(6 + large.Length)], b => Assert.Equal(7, b));
        Assert.False(bytes.AsSpan(6 + large.Length).ContainsAnyExcept((byte)0));
    }
}
