using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using ActorChain.Chain;

namespace ActorChain.Persistence;

public sealed partial class BlockJournal
{
    private void Recover()
    {
        var stopwatch = Stopwatch.StartNew();
        OpenSegments();
        var scan = new ScanState();
        var verification = ChainVerifier.VerifyEncoded(Scan(scan), _options.ExpectedClusterId);
        JournalCorruption? corruption = null;
        long served;
        Hash256 head;
        if (_records.Count == 0 && scan.Corruption is null)
        {
            (served, head) = (0, Hash256.Zero);
        }
        else if (!verification.IsValid && verification.FirstInvalidHeight < _records.Count)
        {
            corruption = new JournalCorruption(verification.FirstInvalidHeight!.Value, verification.Reason!, verification.Fault);
            (served, head) = (verification.FirstInvalidHeight.Value, verification.HeadHash);
        }
        else
        {
            corruption = scan.Corruption;
            (served, head) = (_records.Count, verification.HeadHash);
            if (scan.Torn is { } torn)
            {
                CutTornTail(torn);
            }
        }

        _records.RemoveRange((int)served, _records.Count - (int)served);
        _height = served - 1;
        _headHash = _height < 0 ? Hash256.Zero : head;
        _corruption = corruption;
        if (corruption is not null)
        {
            PersistenceLog.JournalCorrupt(_logger, corruption.Height, corruption.Reason, _height);
        }

        PersistenceLog.JournalVerified(_logger, Directory, _height, _headHash.ToString(), _segments.Count, stopwatch.ElapsedMilliseconds);
    }

    private void OpenSegments()
    {
        var found = new List<(long FirstHeight, string Path)>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*" + SegmentExtension))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (name.Length == 20 && long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var firstHeight))
            {
                found.Add((firstHeight, path));
            }
        }

        found.Sort((a, b) => a.FirstHeight.CompareTo(b.FirstHeight));
        foreach (var (firstHeight, path) in found)
        {
            var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
            var length = RandomAccess.GetLength(handle);
            _segments.Add(new Segment(firstHeight, path, handle, length, length));
        }

        // A crash between creating a segment and writing its first record leaves an empty file: nothing to recover from it.
        while (_segments.Count > 0 && _segments[^1].Length == 0)
        {
            var empty = _segments[^1];
            _segments.RemoveAt(_segments.Count - 1);
            empty.Handle.Dispose();
            File.Delete(empty.Path);
        }
    }

    /// <summary>Indexes records segment by segment and yields their payloads to the verifier; stops at the first bad record.</summary>
    private IEnumerable<ReadOnlyMemory<byte>> Scan(ScanState state)
    {
        for (var s = 0; s < _segments.Count; s++)
        {
            var segment = _segments[s];
            if (segment.FirstHeight != _records.Count)
            {
                state.Corruption = new JournalCorruption(
                    _records.Count,
                    $"Segment {segment.Name} starts at block {segment.FirstHeight}, but block {_records.Count} is next: blocks are missing.",
                    null);
                yield break;
            }

            var bytes = ReadWhole(segment);
            var offset = 0;
            while (offset < bytes.Length)
            {
                var check = RecordFormat.Check(bytes.AsSpan(offset), _options.MaxBlockBytes, out var length, out var crc);
                if (check != RecordCheck.Ok)
                {
                    if (RecordFormat.IsZeroTail(bytes, offset))
                    {
                        // The zeros the segment grew by: its records end here, and the next appends go over them.
                        segment.Length = offset;
                        break;
                    }

                    var height = _records.Count;
                    var reason = RecordFormat.Describe(check, length);
                    if (s == _segments.Count - 1 && RecordFormat.IsTornTail(bytes, offset, _options.MaxBlockBytes, p => FollowsHeight(p, height), bytes))
                    {
                        state.Torn = new TornTail(segment, offset, height, reason);
                    }
                    else
                    {
                        state.Corruption = new JournalCorruption(height, $"Block {height} in {segment.Name} at byte {offset}: {reason}.", null);
                    }

                    yield break;
                }

                _records.Add(new RecordRef(segment, offset + RecordFormat.HeaderSize, length, crc));
                yield return bytes.AsMemory(offset + RecordFormat.HeaderSize, length);
                offset += RecordFormat.HeaderSize + length;
            }
        }
    }

    // A record found while resynchronising only counts as a later block if it looks like one.
    private static bool FollowsHeight(ReadOnlyMemory<byte> payload, long badHeight) =>
        payload.Length > 9 && payload.Span[0] == BlockHeader.CurrentVersion && BinaryPrimitives.ReadInt64LittleEndian(payload.Span[1..]) > badHeight;

    private static byte[] ReadWhole(Segment segment)
    {
        var bytes = new byte[segment.Length];
        var read = 0;
        while (read < bytes.Length)
        {
            var n = RandomAccess.Read(segment.Handle, bytes.AsSpan(read), read);
            if (n == 0)
            {
                Array.Resize(ref bytes, read);
                break;
            }

            read += n;
        }

        return bytes;
    }

    private void CutTornTail(TornTail torn)
    {
        var dropped = torn.Segment.Length - torn.Offset;
        torn.Segment.Length = torn.Offset;
        Trim(torn.Segment);
        PersistenceLog.JournalTornTail(_logger, torn.Height, torn.Segment.Name, dropped, torn.Reason);
    }

    private sealed class ScanState
    {
        public JournalCorruption? Corruption { get; set; }

        public TornTail? Torn { get; set; }
    }

    private sealed record TornTail(Segment Segment, long Offset, long Height, string Reason);
}
