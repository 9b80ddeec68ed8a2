using System.Text;

namespace ActorChain.Persistence.Tests;

public sealed class AcceptorLogTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string LogPath => _directory.Combine("acceptor", "acceptor.log");

    public void Dispose() => _directory.Dispose();

    private static byte[] Record(int i) => Encoding.UTF8.GetBytes($"promise h={i} ballot={i * 7}" + new string('x', i % 13));

    [Fact]
    public async Task Reopen_ReplaysEveryRecordInOrder()
    {
        await using (var log = await AcceptorLog.OpenAsync(LogPath))
        {
            Assert.Empty(log.Replayed);
            for (var i = 0; i < 10; i++)
            {
                await log.AppendAsync(Record(i));
            }

            await log.AppendAsync([Record(10), Record(11)]);
            Assert.Equal(12, log.Count);
        }

        await using var reopened = await AcceptorLog.OpenAsync(LogPath);
        Assert.Equal(Enumerable.Range(0, 12).Select(Record), reopened.Replayed);
    }

    [Fact]
    public async Task ConcurrentAppends_AreAllDurable()
    {
        await using (var log = await AcceptorLog.OpenAsync(LogPath))
        {
            await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => log.AppendAsync(Record(i)))));
            Assert.Equal(200, log.Count);
        }

        await using var reopened = await AcceptorLog.OpenAsync(LogPath);
        Assert.Equal(
            Enumerable.Range(0, 200).Select(i => Convert.ToHexString(Record(i))).Order(),
            reopened.Replayed.Select(Convert.ToHexString).Order());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TornTail_OfEveryLength_IsCutOff(bool zerosFollow)
    {
        long end;
        await using (var log = await AcceptorLog.OpenAsync(LogPath))
        {
            await log.AppendAsync([Record(1), Record(2), Record(3)]);
            end = log.Length;
        }

        var full = await File.ReadAllBytesAsync(LogPath);
        var last = 8 + Record(3).Length;
        for (var kept = 0; kept < last; kept++)
        {
            // A crash tears the last record: the file ends there, or (written into the zeros the file was
            // extended with) the rest of the record is still zeros.
            var torn = zerosFollow ? full.ToArray() : full.AsSpan(0, (int)end - last + kept).ToArray();
            if (zerosFollow)
            {
                torn.AsSpan((int)end - last + kept, last - kept).Clear();
            }

            await File.WriteAllBytesAsync(LogPath, torn);
            var logger = new ListLogger();
            await using (var log = await AcceptorLog.OpenAsync(LogPath, logger))
            {
                Assert.Equal([Record(1), Record(2)], log.Replayed);
                Assert.Equal(kept > 0, logger.Has(6011));
                await log.AppendAsync(Record(4));
            }

            await using (var reopened = await AcceptorLog.OpenAsync(LogPath))
            {
                Assert.Equal([Record(1), Record(2), Record(4)], reopened.Replayed);
            }
        }
    }

    [Fact]
    public async Task Appends_GoIntoZeroFilledSpace_ExtendingTheFileOnlyOncePerStep()
    {
        await using (var log = await AcceptorLog.OpenAsync(LogPath))
        {
            for (var i = 0; i < 50; i++)
            {
                await log.AppendAsync(Record(i));
            }

            Assert.Equal(50, log.CommitCount);
            Assert.Equal(1, log.GrowCount);
            Assert.Equal(DurableFile.GrowBytes, log.Allocated);
            Assert.Equal(DurableFile.GrowBytes, new FileInfo(LogPath).Length);

            // A record that does not fit in what is left takes the file one step further, and only that commit does.
            var large = new byte[DurableFile.GrowBytes];
            large.AsSpan().Fill((byte)'L');
            await log.AppendAsync(large);
            await log.AppendAsync(Record(50));
            Assert.Equal(2, log.GrowCount);
            Assert.Equal(2L * DurableFile.GrowBytes, log.Allocated);
        }

        var logger = new ListLogger();
        await using (var reopened = await AcceptorLog.OpenAsync(LogPath, logger))
        {
            Assert.Equal(52, reopened.Replayed.Count);
            Assert.Equal(Record(50), reopened.Replayed[^1]);
            Assert.False(logger.Has(6011), "the zeros after the records are not a torn tail");
            Assert.Equal(2L * DurableFile.GrowBytes, reopened.Allocated);

            // The next append goes right after the last record, into the zeros.
            await reopened.AppendAsync(Record(51));
            Assert.Equal(0, reopened.GrowCount);
        }

        await using var again = await AcceptorLog.OpenAsync(LogPath);
        Assert.Equal([Record(50), Record(51)], again.Replayed.Skip(51));
    }

    [Fact]
    public async Task ALogWrittenWithoutZeros_OpensAndGrowsOnItsNextAppend()
    {
        // An older version's log ends at its last record.
        await using (var log = await AcceptorLog.OpenAsync(LogPath))
        {
            await log.AppendAsync([Record(1), Record(2)]);
            var end = log.Length;
            await log.DisposeAsync();
            await using var file = new FileStream(LogPath, FileMode.Open);
            file.SetLength(end);
        }

        await using (var log = await AcceptorLog.OpenAsync(LogPath))
        {
            Assert.Equal([Record(1), Record(2)], log.Replayed);
            await log.AppendAsync(Record(3));
            Assert.Equal(1, log.GrowCount);
        }

        await using var reopened = await AcceptorLog.OpenAsync(LogPath);
        Assert.Equal([Record(1), Record(2), Record(3)], reopened.Replayed);
    }

    [Fact]
    public async Task DamagedRecord_InTheMiddle_RefusesToOpen()
    {
        await using (var log = await AcceptorLog.OpenAsync(LogPath))
        {
            await log.AppendAsync([Record(1), Record(2), Record(3)]);
        }

        var bytes = await File.ReadAllBytesAsync(LogPath);
        bytes[8 + Record(1).Length + 8 + 3] ^= 0x10;
        await File.WriteAllBytesAsync(LogPath, bytes);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => AcceptorLog.OpenAsync(LogPath));
        Assert.Contains("record 1", error.Message);
    }

    [Fact]
    public async Task Compact_KeepsOnlyLiveRecords_AndLaterAppends()
    {
        await using (var log = await AcceptorLog.OpenAsync(LogPath))
        {
            for (var i = 0; i < 20; i++)
            {
                await log.AppendAsync(Record(i));
            }

            var before = log.Length;
            await log.CompactAsync([Record(17), Record(19)]);
            Assert.Equal(2, log.Count);
            Assert.True(log.Length < before);
            await log.AppendAsync(Record(20));
        }

        // The compacted file is extended with zeros too, so the appends after it write no metadata either.
        Assert.Equal(DurableFile.GrowBytes, new FileInfo(LogPath).Length);
        await using var reopened = await AcceptorLog.OpenAsync(LogPath);
        Assert.Equal([Record(17), Record(19), Record(20)], reopened.Replayed);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(LogPath)!, "*.tmp"));
    }

    [Fact]
    public async Task Compact_RacingAppends_KeepsEveryAppendMadeAfterIt()
    {
        await using (var log = await AcceptorLog.OpenAsync(LogPath))
        {
            await log.AppendAsync(Record(0));
            var compact = log.CompactAsync([Record(100)]);
            var appends = Enumerable.Range(1, 50).Select(i => log.AppendAsync(Record(i))).ToArray();
            await compact;
            await Task.WhenAll(appends);
        }

        await using var reopened = await AcceptorLog.OpenAsync(LogPath);
        Assert.Equal([Record(100), .. Enumerable.Range(1, 50).Select(Record)], reopened.Replayed);
    }

    [Fact]
    public async Task LeftoverCompactionTempFile_IsIgnoredAndRemoved()
    {
        await using (var log = await AcceptorLog.OpenAsync(LogPath))
        {
            await log.AppendAsync(Record(1));
        }

        var temp = LogPath + ".0123456789abcdef.tmp";
        await File.WriteAllBytesAsync(temp, [1, 2, 3]);
        await using var reopened = await AcceptorLog.OpenAsync(LogPath);
        Assert.Equal([Record(1)], reopened.Replayed);
        Assert.False(File.Exists(temp));
    }

    [Fact]
    public async Task EmptyRecord_IsRefused()
    {
        await using var log = await AcceptorLog.OpenAsync(LogPath);
        await Assert.ThrowsAsync<ArgumentException>(() => log.AppendAsync(ReadOnlyMemory<byte>.Empty));
    }
}
