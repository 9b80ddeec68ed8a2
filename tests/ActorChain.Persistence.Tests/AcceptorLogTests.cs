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

    [Fact]
    public async Task TornTail_OfEveryLength_IsCutOff()
    {
        await using (var log = await AcceptorLog.OpenAsync(LogPath))
        {
            await log.AppendAsync([Record(1), Record(2), Record(3)]);
        }

        var full = await File.ReadAllBytesAsync(LogPath);
        var last = 8 + Record(3).Length;
        for (var kept = 0; kept < last; kept++)
        {
            await File.WriteAllBytesAsync(LogPath, full.AsSpan(0, full.Length - last + kept).ToArray());
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
