using System.Buffers.Binary;
using ActorChain.Chain;

namespace ActorChain.Persistence.Tests;

public sealed class BlockJournalTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string JournalPath => _directory.Combine("journal");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task ConcurrentAppends_AreAllDurableAndInOrder_AndShareFsyncs()
    {
        var chain = TestChains.KvChain(400, entriesPerBlock: 2);
        var logger = new ListLogger();
        await using (var journal = await BlockJournal.OpenAsync(JournalPath))
        {
            await journal.AppendAsync(chain[0]);
            // Each appender waits for its turn (the block before it to be appended) and then appends at once,
            // so many appends are in flight at the same time and must be batched in order.
            var appended = chain.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
            appended[0].SetResult();
            var tasks = Enumerable.Range(1, chain.Count - 1).Select(h => Task.Run(async () =>
            {
                await appended[h - 1].Task;
                var append = journal.AppendAsync(chain[h]);
                appended[h].SetResult();
                await append;
                Assert.True(journal.Height >= h, $"block {h}'s append completed before the journal served it");
            })).ToArray();
            await Task.WhenAll(tasks);
            Assert.Equal(400, journal.Height);
        }

        await using var reopened = await BlockJournal.OpenAsync(JournalPath, logger: logger);
        Assert.Equal(400, reopened.Height);
        Assert.Equal(chain[^1].Hash, reopened.HeadHash);
        Assert.Equal(chain.Select(b => b.Hash), (await reopened.ReadRangeAsync(0, 500)).Select(b => b.Hash));
        Assert.True(logger.Has(6000));
    }

    [Fact]
    public async Task ConcurrentAppends_FromManyTasksAtOnce_AllCompleteAndOnlyValidOnesLand()
    {
        var chain = TestChains.KvChain(64);
        await using var journal = await BlockJournal.OpenAsync(JournalPath);
        await journal.AppendAsync(chain[0]);
        // All 64 appends start together in arbitrary order: exactly those that arrive in sequence land; the
        // others are refused, and the writers retry until every block is in. Nothing is lost or reordered.
        var tasks = Enumerable.Range(1, 64).Select(h => Task.Run(async () =>
        {
            while (true)
            {
                try
                {
                    await journal.AppendAsync(chain[h]);
                    return;
                }
                catch (InvalidOperationException) when (journal.Height < h)
                {
                    await Task.Yield();
                }
            }
        }));
        await Task.WhenAll(tasks);
        Assert.Equal(64, journal.Height);
        Assert.Equal(chain.Select(b => b.Hash), (await journal.ReadRangeAsync(0, 100)).Select(b => b.Hash));
    }

    [Fact]
    public async Task ReadBlock_ReturnsEachBlockSynchronously_AndNullBeyondTheHead()
    {
        var chain = TestChains.KvChain(40, entriesPerBlock: 2);
        await using var journal = await BlockJournal.OpenAsync(JournalPath, new BlockJournalOptions { SegmentSize = 4096 });
        await journal.AppendAsync(chain);

        Assert.True(journal.SegmentCount > 1);
        Assert.All(chain, block => Assert.Equal(block.Hash, journal.ReadBlock(block.Height)?.Hash));
        Assert.Null(journal.ReadBlock(chain.Count));
    }

    [Fact]
    public async Task ReadBlock_OfARecordChangedOnDiskSinceOpen_ThrowsNamingTheHeight()
    {
        var chain = TestChains.KvChain(3, entriesPerBlock: 1, valueBytes: 4);
        await using var journal = await BlockJournal.OpenAsync(JournalPath);
        await journal.AppendAsync(chain);
        var segment = Directory.GetFiles(JournalPath, "*.seg").Single();
        var bytes = await File.ReadAllBytesAsync(segment);
        var at = bytes.AsSpan().IndexOf(BlockCodec.EncodeBlock(chain[2])) + 10;
        Assert.True(at >= 10);
        await using (var file = new FileStream(segment, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            file.Position = at;
            file.WriteByte((byte)(bytes[at] ^ 0x40));
        }

        var error = Assert.Throws<InvalidDataException>(() => journal.ReadBlock(2));
        Assert.Contains("Block 2", error.Message, StringComparison.Ordinal);
        Assert.Equal(chain[1].Hash, journal.ReadBlock(1)?.Hash);
    }

    [Fact]
    public async Task TornTail_OfEveryLength_IsCutOff_AndTheRestServed()
    {
        var chain = TestChains.KvChain(3, entriesPerBlock: 1, valueBytes: 4);
        await using (var journal = await BlockJournal.OpenAsync(JournalPath))
        {
            await journal.AppendAsync(chain);
        }

        var segment = Directory.GetFiles(JournalPath, "*.seg").Single();
        var full = await File.ReadAllBytesAsync(segment);
        var lastRecord = 8 + BlockCodec.GetBlockSize(chain[^1]);
        for (var kept = 0; kept < lastRecord; kept++)
        {
            await File.WriteAllBytesAsync(segment, full.AsSpan(0, full.Length - lastRecord + kept).ToArray());
            var logger = new ListLogger();
            await using (var journal = await BlockJournal.OpenAsync(JournalPath, logger: logger))
            {
                Assert.Equal(2, journal.Height);
                Assert.Equal(chain[2].Hash, journal.HeadHash);
                Assert.Null(journal.Corruption);
                Assert.Null(await journal.ReadAsync(3));
                Assert.Equal(kept > 0, logger.Has(6001));
            }

            Assert.Equal(full.Length - lastRecord, new FileInfo(segment).Length);
        }
    }

    [Fact]
    public async Task TornTail_WithBadChecksumAtTheVeryEnd_IsCutOffAndLogged()
    {
        var chain = TestChains.KvChain(3);
        await using (var journal = await BlockJournal.OpenAsync(JournalPath))
        {
            await journal.AppendAsync(chain);
        }

        var segment = Directory.GetFiles(JournalPath, "*.seg").Single();
        var bytes = await File.ReadAllBytesAsync(segment);
        bytes[^3] ^= 0x40;
        await File.WriteAllBytesAsync(segment, bytes);

        var logger = new ListLogger();
        await using var reopened = await BlockJournal.OpenAsync(JournalPath, logger: logger);
        Assert.Equal(2, reopened.Height);
        Assert.Null(reopened.Corruption);
        var line = Assert.Single(logger.Lines, l => l.Id.Id == 6001);
        Assert.Contains("height 3", line.Message);
        Assert.Contains($"{8 + BlockCodec.GetBlockSize(chain[3])} bytes dropped", line.Message);
    }

    [Fact]
    public async Task ZeroFilledTail_IsTheEndOfTheRecords_AndTheNextAppendGoesIntoIt()
    {
        var chain = TestChains.KvChain(2);
        await using (var journal = await BlockJournal.OpenAsync(JournalPath))
        {
            await journal.AppendAsync(chain);
        }

        var segment = Directory.GetFiles(JournalPath, "*.seg").Single();
        var records = new FileInfo(segment).Length;
        await using (var stream = new FileStream(segment, FileMode.Append))
        {
            stream.Write(new byte[4096]);
        }

        var logger = new ListLogger();
        await using (var reopened = await BlockJournal.OpenAsync(JournalPath, logger: logger))
        {
            Assert.Equal(2, reopened.Height);
            Assert.Null(reopened.Corruption);
            Assert.False(logger.Has(6001), "zeros after the records are not a torn tail");
            var next = TestChains.Next(chain[^1]);
            await reopened.AppendAsync(next);
            Assert.Equal(3, reopened.Height);
            Assert.Equal(0, reopened.GrowCount);
            Assert.Equal(records + 4096, new FileInfo(segment).Length);
            records += 8 + BlockCodec.GetBlockSize(next);
        }

        Assert.Equal(records, new FileInfo(segment).Length);
    }

    [Fact]
    public async Task Appends_GoIntoZeroFilledSpace_GrowingTheSegmentOncePerStep_AndDisposeTrimsIt()
    {
        var chain = TestChains.KvChain(30, entriesPerBlock: 1, valueBytes: 16);
        var segment = Path.Combine(JournalPath, "00000000000000000000.seg");
        await using (var journal = await BlockJournal.OpenAsync(JournalPath))
        {
            foreach (var block in chain)
            {
                await journal.AppendAsync(block);
            }

            Assert.Equal(chain.Count, journal.CommitCount);
            Assert.Equal(1, journal.GrowCount);
            Assert.Equal(DurableFile.GrowBytes, new FileInfo(segment).Length);
        }

        Assert.Equal(chain.Sum(b => 8L + BlockCodec.GetBlockSize(b)), new FileInfo(segment).Length);
    }

    [Fact]
    public async Task AJournalThatDidNotClose_ReopensAtItsHead_PastTheZeros_AndCutsATornRecordBeforeThem()
    {
        var chain = TestChains.KvChain(5, entriesPerBlock: 1, valueBytes: 8);
        var crashed = _directory.Combine("crashed");
        byte[] image;
        await using (var journal = await BlockJournal.OpenAsync(JournalPath))
        {
            await journal.AppendAsync(chain);

            // What a crash leaves: the open segment as it is on disk, records and then zeros.
            image = await File.ReadAllBytesAsync(Path.Combine(JournalPath, "00000000000000000000.seg"));
        }

        Assert.Equal(DurableFile.GrowBytes, image.Length);
        var lastRecord = 8 + BlockCodec.GetBlockSize(chain[^1]);
        var recordsEnd = chain.Sum(b => 8 + BlockCodec.GetBlockSize(b));
        var tornCases = 0;
        foreach (var kept in new[] { lastRecord, 0, 1, 7, 8, 9, lastRecord / 2, lastRecord - 1 })
        {
            // The last write landed only in part: its first `kept` bytes, then the zeros that were there before it.
            var torn = image.ToArray();
            torn.AsSpan(recordsEnd - lastRecord + kept, lastRecord - kept).Clear();

            // A record whose own last bytes are zeros is whole even when those bytes did not land.
            var whole = torn.AsSpan(recordsEnd - lastRecord, lastRecord).SequenceEqual(image.AsSpan(recordsEnd - lastRecord, lastRecord));
            Directory.CreateDirectory(crashed);
            await File.WriteAllBytesAsync(Path.Combine(crashed, "00000000000000000000.seg"), torn);
            var logger = new ListLogger();
            await using (var reopened = await BlockJournal.OpenAsync(crashed, logger: logger))
            {
                var expectedHeight = whole ? chain.Count - 1 : chain.Count - 2;
                Assert.Equal(expectedHeight, reopened.Height);
                Assert.Equal(chain[expectedHeight].Hash, reopened.HeadHash);
                Assert.Null(reopened.Corruption);
                Assert.Equal(!whole && kept > 0, logger.Has(6001));
                tornCases += logger.Has(6001) ? 1 : 0;

                await reopened.AppendAsync(chain.Skip(expectedHeight + 1).ToList());
                Assert.Equal(chain.Count - 1, reopened.Height);
            }

            await using (var again = await BlockJournal.OpenAsync(crashed))
            {
                Assert.Equal(chain.Select(b => b.Hash), (await again.ReadRangeAsync(0, 10)).Select(b => b.Hash));
            }

            Directory.Delete(crashed, recursive: true);
        }

        Assert.True(tornCases >= 4, $"only {tornCases} of the images held a torn record");
    }

    [Fact]
    public async Task ClosedSegments_EndAtTheirRecords_WhileTheOpenOneEndsInZeros()
    {
        var chain = TestChains.KvChain(40, entriesPerBlock: 2, valueBytes: 32);
        await using var journal = await BlockJournal.OpenAsync(JournalPath, new BlockJournalOptions { SegmentSize = 2048 });
        foreach (var batch in chain.Chunk(3))
        {
            await journal.AppendAsync(batch);
        }

        var segments = Directory.GetFiles(JournalPath, "*.seg").Order(StringComparer.Ordinal).ToArray();
        Assert.True(segments.Length > 2, $"only {segments.Length} segments");
        foreach (var closed in segments[..^1])
        {
            var bytes = await File.ReadAllBytesAsync(closed);
            var offset = 0;
            while (offset < bytes.Length)
            {
                Assert.Equal(RecordCheck.Ok, RecordFormat.Check(bytes.AsSpan(offset), int.MaxValue, out var length, out _));
                offset += 8 + length;
            }
        }

        Assert.Equal(DurableFile.GrowBytes, new FileInfo(segments[^1]).Length);
    }

    [Fact]
    public async Task ZerosInsteadOfAnEarlierSegmentsLastRecord_AreReportedAsMissingBlocks()
    {
        var chain = TestChains.KvChain(30);
        var options = new BlockJournalOptions { SegmentSize = 1024 };
        await using (var journal = await BlockJournal.OpenAsync(JournalPath, options))
        {
            await journal.AppendAsync(chain);
        }

        var segments = Directory.GetFiles(JournalPath, "*.seg").Order(StringComparer.Ordinal).ToArray();
        var secondStarts = long.Parse(Path.GetFileNameWithoutExtension(segments[1]), System.Globalization.CultureInfo.InvariantCulture);
        var first = await File.ReadAllBytesAsync(segments[0]);
        first.AsSpan(first.Length - 8 - BlockCodec.GetBlockSize(chain[(int)secondStarts - 1])).Clear();
        await File.WriteAllBytesAsync(segments[0], first);

        await using var reopened = await BlockJournal.OpenAsync(JournalPath, options);
        Assert.Equal(secondStarts - 1, reopened.Corruption!.Height);
        Assert.Contains("missing", reopened.Corruption.Reason, StringComparison.Ordinal);
        Assert.Equal(secondStarts - 2, reopened.Height);
    }

    [Fact]
    public async Task FlippedByte_AnywhereInAMiddleRecord_IsReportedAtItsHeight_AndNeverServed()
    {
        var chain = TestChains.KvChain(6, entriesPerBlock: 2, valueBytes: 8);
        await using (var journal = await BlockJournal.OpenAsync(JournalPath))
        {
            await journal.AppendAsync(chain);
        }

        var segment = Directory.GetFiles(JournalPath, "*.seg").Single();
        var original = await File.ReadAllBytesAsync(segment);
        var recordStart = Enumerable.Range(0, 3).Sum(h => 8 + BlockCodec.GetBlockSize(chain[h]));
        var recordLength = 8 + BlockCodec.GetBlockSize(chain[3]);
        for (var offset = recordStart; offset < recordStart + recordLength; offset++)
        {
            var damaged = original.ToArray();
            damaged[offset] ^= 0x5A;
            await File.WriteAllBytesAsync(segment, damaged);
            var logger = new ListLogger();
            await using var journal = await BlockJournal.OpenAsync(JournalPath, logger: logger);

            var corruption = journal.Corruption;
            Assert.True(corruption is not null, $"a flipped byte at {offset - recordStart} of block 3's record was not reported");
            Assert.Equal(3, corruption.Height);
            Assert.Equal(2, journal.Height);
            Assert.Equal(chain[2].Hash, journal.HeadHash);
            Assert.Null(await journal.ReadAsync(3));
            Assert.Equal(3, (await journal.ReadRangeAsync(0, 10)).Count);
            Assert.Contains(logger.Lines, l => l.Id.Id == 6002 && l.Message.Contains("height 3"));
        }
    }

    [Fact]
    public async Task TamperedBlock_WithValidChecksum_IsReportedByChainVerification()
    {
        var chain = TestChains.KvChain(5);
        await using (var journal = await BlockJournal.OpenAsync(JournalPath))
        {
            await journal.AppendAsync(chain);
        }

        // Rewrite block 2's payload and fix up its CRC: only chain verification can tell.
        var segment = Directory.GetFiles(JournalPath, "*.seg").Single();
        var bytes = await File.ReadAllBytesAsync(segment);
        var start = Enumerable.Range(0, 2).Sum(h => 8 + BlockCodec.GetBlockSize(chain[h]));
        var length = BlockCodec.GetBlockSize(chain[2]);
        bytes[start + 8 + length - 10] ^= 0x01;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(start + 4), Crc32C.Compute(bytes.AsSpan(start + 8, length)));
        await File.WriteAllBytesAsync(segment, bytes);

        await using var reopened = await BlockJournal.OpenAsync(JournalPath);
        Assert.NotNull(reopened.Corruption);
        Assert.Equal(2, reopened.Corruption.Height);
        Assert.Equal(ChainFault.BadMerkleRoot, reopened.Corruption.Fault);
        Assert.Equal(1, reopened.Height);
        Assert.Null(await reopened.ReadEncodedAsync(2));
    }

    [Fact]
    public async Task Corruption_IsRepairedByTruncateAfterAndReappend()
    {
        var chain = TestChains.KvChain(8);
        await using (var journal = await BlockJournal.OpenAsync(JournalPath, new BlockJournalOptions { SegmentSize = 600 }))
        {
            await journal.AppendAsync(chain);
            Assert.True(journal.SegmentCount > 2);
        }

        var segments = Directory.GetFiles(JournalPath, "*.seg").Order().ToArray();
        var bytes = await File.ReadAllBytesAsync(segments[1]);
        bytes[20] ^= 0xFF;
        await File.WriteAllBytesAsync(segments[1], bytes);

        await using var reopened = await BlockJournal.OpenAsync(JournalPath, new BlockJournalOptions { SegmentSize = 600 });
        var bad = reopened.Corruption!.Height;
        Assert.Equal(bad - 1, reopened.Height);
        await Assert.ThrowsAsync<InvalidOperationException>(() => reopened.AppendAsync(chain[(int)bad]));

        await reopened.TruncateAfterAsync(bad - 1);
        Assert.Null(reopened.Corruption);
        await reopened.AppendAsync(chain.Skip((int)bad).ToList());
        Assert.Equal(8, reopened.Height);
        await reopened.DisposeAsync();

        await using var repaired = await BlockJournal.OpenAsync(JournalPath, new BlockJournalOptions { SegmentSize = 600 });
        Assert.Null(repaired.Corruption);
        Assert.Equal(chain.Select(b => b.Hash), (await repaired.ReadRangeAsync(0, 20)).Select(b => b.Hash));
    }

    [Fact]
    public async Task Segments_RollOverAtTheConfiguredSize_AndReopenAcrossThem()
    {
        var chain = TestChains.KvChain(50, entriesPerBlock: 2, valueBytes: 32);
        var options = new BlockJournalOptions { SegmentSize = 2048 };
        await using (var journal = await BlockJournal.OpenAsync(JournalPath, options))
        {
            foreach (var batch in chain.Chunk(7))
            {
                await journal.AppendAsync(batch);
            }
        }

        var segments = Directory.GetFiles(JournalPath, "*.seg").Select(Path.GetFileName).Order().ToArray();
        Assert.True(segments.Length > 3, $"only {segments.Length} segments");
        Assert.Equal("00000000000000000000.seg", segments[0]);
        foreach (var path in Directory.GetFiles(JournalPath, "*.seg"))
        {
            var length = new FileInfo(path).Length;
            Assert.True(length < 2048 + 8 + BlockCodec.GetBlockSize(chain[1]) + 64, $"{path} holds {length} bytes");
            var first = long.Parse(Path.GetFileNameWithoutExtension(path), System.Globalization.CultureInfo.InvariantCulture);
            var firstRecord = await File.ReadAllBytesAsync(path);
            var block = BlockCodec.DecodeBlock(firstRecord.AsSpan(8, (int)BinaryPrimitives.ReadUInt32LittleEndian(firstRecord)));
            Assert.Equal(first, block.Height);
        }

        await using var reopened = await BlockJournal.OpenAsync(JournalPath, options);
        Assert.Equal(50, reopened.Height);
        Assert.Equal(chain.Select(b => b.Hash), (await reopened.ReadRangeAsync(0, 100)).Select(b => b.Hash));
        Assert.Equal(chain[17].Hash, (await reopened.ReadAsync(17))!.Hash);
        await reopened.TruncateAfterAsync(10);
        Assert.Equal(chain[10].Hash, reopened.HeadHash);
        Assert.True(Directory.GetFiles(JournalPath, "*.seg").Length < segments.Length);
    }

    [Fact]
    public async Task MissingSegment_IsReportedAsCorruptionAtTheFirstMissingHeight()
    {
        var chain = TestChains.KvChain(30);
        var options = new BlockJournalOptions { SegmentSize = 1024 };
        await using (var journal = await BlockJournal.OpenAsync(JournalPath, options))
        {
            await journal.AppendAsync(chain);
        }

        var segments = Directory.GetFiles(JournalPath, "*.seg").Order().ToArray();
        var missingFrom = long.Parse(Path.GetFileNameWithoutExtension(segments[1]), System.Globalization.CultureInfo.InvariantCulture);
        File.Delete(segments[1]);

        await using var reopened = await BlockJournal.OpenAsync(JournalPath, options);
        Assert.Equal(missingFrom, reopened.Corruption!.Height);
        Assert.Equal(missingFrom - 1, reopened.Height);
    }

    [Fact]
    public async Task WrongCluster_IsReportedAtGenesis()
    {
        await using (var journal = await BlockJournal.OpenAsync(JournalPath))
        {
            await journal.AppendAsync(TestChains.KvChain(2));
        }

        await using var reopened = await BlockJournal.OpenAsync(JournalPath, new BlockJournalOptions { ExpectedClusterId = "another" });
        Assert.Equal(0, reopened.Corruption!.Height);
        Assert.Equal(ChainFault.WrongGenesis, reopened.Corruption.Fault);
        Assert.Equal(-1, reopened.Height);
        Assert.Null(await reopened.ReadAsync(0));
    }

    [Fact]
    public async Task ReadAfterDiskChange_ThrowsRatherThanServingTheBadBlock()
    {
        var chain = TestChains.KvChain(3);
        await using var journal = await BlockJournal.OpenAsync(JournalPath);
        await journal.AppendAsync(chain);
        var segment = Directory.GetFiles(JournalPath, "*.seg").Single();
        await using (var stream = new FileStream(segment, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            stream.Position = 8 + BlockCodec.GetBlockSize(chain[0]) + 20;
            stream.WriteByte(0xEE);
        }

        await Assert.ThrowsAsync<InvalidDataException>(() => journal.ReadAsync(1));
        Assert.NotNull(await journal.ReadAsync(2));
    }

    [Fact]
    public async Task SecondOpen_OfTheSameDirectory_IsRefused()
    {
        await using var journal = await BlockJournal.OpenAsync(JournalPath);
        await Assert.ThrowsAsync<IOException>(() => BlockJournal.OpenAsync(JournalPath));
    }

    [Fact]
    public async Task Append_AfterDispose_Throws()
    {
        var journal = await BlockJournal.OpenAsync(JournalPath);
        await journal.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => journal.AppendAsync(TestChains.Genesis()));
    }
}

public sealed class GroupCommitTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task AppendsQueuedDuringAWrite_ShareTheNextWriteAndFsync()
    {
        var chain = TestChains.KvChain(64);
        await using var journal = await BlockJournal.OpenAsync(_directory.Combine("journal"));
        using var writing = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        journal.BeforeCommit = () =>
        {
            writing.Release();
            release.Wait();
        };

        var first = journal.AppendAsync(chain[0]);
        Assert.True(await writing.WaitAsync(TimeSpan.FromSeconds(30)), "the first append never reached the commit loop");
        var rest = Enumerable.Range(1, 64).Select(h => journal.AppendAsync(chain[h])).ToArray();
        Assert.False(first.IsCompleted);
        Assert.All(rest, t => Assert.False(t.IsCompleted));
        journal.BeforeCommit = null;
        release.Release();

        await first;
        await Task.WhenAll(rest);
        Assert.Equal(2, journal.CommitCount);
        Assert.Equal(64, journal.Height);
        Assert.Equal(chain[^1].Hash, journal.HeadHash);
    }

    [Fact]
    public async Task AcceptorAppendsQueuedDuringAWrite_ShareTheNextWriteAndFsync()
    {
        await using var log = await AcceptorLog.OpenAsync(_directory.Combine("acceptor.log"));
        using var writing = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        log.BeforeCommit = () =>
        {
            writing.Release();
            release.Wait();
        };

        var first = log.AppendAsync(new byte[] { 0 });
        Assert.True(await writing.WaitAsync(TimeSpan.FromSeconds(30)), "the first append never reached the commit loop");
        var rest = Enumerable.Range(1, 100).Select(i => log.AppendAsync(new[] { (byte)i })).ToArray();
        Assert.All(rest, t => Assert.False(t.IsCompleted));
        log.BeforeCommit = null;
        release.Release();

        await first;
        await Task.WhenAll(rest);
        Assert.Equal(2, log.CommitCount);
        Assert.Equal(101, log.Count);
    }
}
