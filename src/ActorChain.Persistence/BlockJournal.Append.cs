using System.Buffers;
using ActorChain.Chain;

namespace ActorChain.Persistence;

public sealed partial class BlockJournal
{
    // Runs on the commit loop only: it alone writes files and changes _segments, _records and the head.
    private void Process(List<JournalRequest> batch)
    {
        var appends = new List<AppendRequest>();
        foreach (var request in batch)
        {
            if (request is AppendRequest append)
            {
                appends.Add(append);
                continue;
            }

            Commit(appends);
            appends.Clear();
            Truncate((TruncateRequest)request);
        }

        Commit(appends);
    }

    private void Commit(List<AppendRequest> appends)
    {
        if (appends.Count == 0)
        {
            return;
        }

        var accepted = new List<AppendRequest>(appends.Count);
        long next;
        Hash256 previous;
        lock (_gate)
        {
            next = _height + 1;
            previous = _headHash;
        }

        foreach (var append in appends)
        {
            if (Refusal(append.Blocks, next, previous) is { } refusal)
            {
                append.Fail(refusal);
                continue;
            }

            accepted.Add(append);
            next += append.Blocks.Count;
            previous = append.Blocks[^1].Hash;
        }

        if (accepted.Count == 0)
        {
            return;
        }

        try
        {
            BeforeCommit?.Invoke();
            var records = Write(accepted);
            CommitCount++;
            lock (_gate)
            {
                _records.AddRange(records);
                _height = next - 1;
                _headHash = previous;
            }
        }
        catch (Exception e)
        {
            // What reached the disk is unknown after a failed write or fsync: refuse further appends until reopened.
            _fault = e;
            foreach (var append in accepted)
            {
                append.Fail(e);
            }

            return;
        }

        foreach (var append in accepted)
        {
            append.Succeed();
        }
    }

    private Exception? Refusal(IReadOnlyList<Block> blocks, long next, Hash256 previous)
    {
        if (_fault is not null)
        {
            return new IOException("An earlier journal write failed; reopen the journal to recover.", _fault);
        }

        if (_corruption is { } corruption)
        {
            return new InvalidOperationException(
                $"The journal is corrupt at height {corruption.Height}; truncate it (TruncateAfter) before appending.");
        }

        return AppendRules.CheckContinues(blocks, next, previous);
    }

    /// <summary>One write and one fsync per segment touched; a segment rolls over once it holds <see cref="BlockJournalOptions.SegmentSize"/> bytes.</summary>
    private List<RecordRef> Write(List<AppendRequest> accepted)
    {
        var records = new List<RecordRef>();
        var buffer = DurableFile.ReuseBuffer(ref _writeBuffer);
        var segment = _segments.Count == 0 ? null : _segments[^1];
        var segmentEnd = segment?.Length ?? 0;
        foreach (var append in accepted)
        {
            for (var i = 0; i < append.Encoded.Length; i++)
            {
                if (segment is null || segmentEnd >= _options.SegmentSize)
                {
                    if (segment is not null)
                    {
                        Flush(segment, buffer);
                        Trim(segment);
                    }

                    segment = StartSegment(append.Blocks[i].Height);
                    segmentEnd = 0;
                }

                var payload = append.Encoded[i];
                var written = RecordFormat.Write(buffer.GetSpan(RecordFormat.HeaderSize + payload.Length), payload, out var crc);
                buffer.Advance(written);
                records.Add(new RecordRef(segment, segmentEnd + RecordFormat.HeaderSize, payload.Length, crc));
                segmentEnd += written;
            }
        }

        Flush(segment!, buffer);
        return records;
    }

    private void Flush(Segment segment, ArrayBufferWriter<byte> buffer)
    {
        if (buffer.WrittenCount == 0)
        {
            return;
        }

        var allocated = DurableFile.WriteInPlace(segment.Handle, buffer.WrittenSpan, segment.Length, segment.Allocated);
        if (allocated != segment.Allocated)
        {
            segment.Allocated = allocated;
            GrowCount++;
        }

        segment.Length += buffer.WrittenCount;
        buffer.ResetWrittenCount();
    }

    /// <summary>Cuts the zeros after a segment's last record: a closed or truncated segment ends at its records.</summary>
    private static void Trim(Segment segment)
    {
        if (segment.Allocated == segment.Length)
        {
            return;
        }

        RandomAccess.SetLength(segment.Handle, segment.Length);
        RandomAccess.FlushToDisk(segment.Handle);
        segment.Allocated = segment.Length;
    }

    private Segment StartSegment(long firstHeight)
    {
        var path = Path.Combine(Directory, SegmentName(firstHeight));
        var handle = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        var segment = new Segment(firstHeight, path, handle, 0, 0);
        DurableFile.SyncDirectory(Directory);
        lock (_gate)
        {
            _segments.Add(segment);
        }

        PersistenceLog.JournalSegmentStarted(_logger, segment.Name);
        return segment;
    }

    private void Truncate(TruncateRequest request)
    {
        try
        {
            TruncateAfter(request.Height);
        }
        catch (Exception e)
        {
            request.Fail(e);
            return;
        }

        request.Succeed();
    }

    private void TruncateAfter(long height)
    {
        long served;
        lock (_gate)
        {
            served = _records.Count;
        }

        if (height >= served)
        {
            throw new ArgumentOutOfRangeException(nameof(height), height, $"The journal serves blocks up to {served - 1}; it cannot be truncated above that.");
        }

        var headHash = Hash256.Zero;
        if (height >= 0)
        {
            var keep = _records[(int)height];
            var bytes = new byte[keep.Length];
            RandomAccess.Read(keep.Segment.Handle, bytes, keep.PayloadOffset);
            headHash = BlockCodec.DecodeBlock(bytes).Hash;
        }

        List<Segment> removed;
        lock (_gate)
        {
            var keepSegments = height < 0 ? 0 : _segments.IndexOf(_records[(int)height].Segment) + 1;
            removed = _segments.GetRange(keepSegments, _segments.Count - keepSegments);
            _segments.RemoveRange(keepSegments, removed.Count);
            if (height >= 0)
            {
                var last = _records[(int)height];
                last.Segment.Length = last.PayloadOffset + last.Length;
            }

            _records.RemoveRange((int)(height + 1), _records.Count - (int)(height + 1));
            _height = height;
            _headHash = headHash;
            _corruption = null;
        }

        if (height >= 0)
        {
            Trim(_segments[^1]);
        }

        foreach (var segment in removed)
        {
            segment.Handle.Dispose();
            File.Delete(segment.Path);
        }

        DurableFile.SyncDirectory(Directory);
        PersistenceLog.JournalTruncated(_logger, height, served - 1 - height);
    }

    private abstract class JournalRequest : CommitRequest;

    private sealed class AppendRequest(IReadOnlyList<Block> blocks, byte[][] encoded) : JournalRequest
    {
        public IReadOnlyList<Block> Blocks { get; } = blocks;

        public byte[][] Encoded { get; } = encoded;
    }

    private sealed class TruncateRequest(long height) : JournalRequest
    {
        public long Height { get; } = height;
    }
}
