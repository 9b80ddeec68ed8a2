using System.Buffers;
using System.Globalization;
using ActorChain.Chain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;

namespace ActorChain.Persistence;

/// <summary>
/// The local block store: an append-only journal of segment files named by the height of their
/// first block (<c>00000000000000000000.seg</c>), each a run of records
/// [u32 LE length][u32 LE CRC-32C][canonical block bytes]. Appends are group-committed: every
/// append completes only after the fdatasync that covers it. On open every record is checked and the
/// whole chain verified (<see cref="ChainVerifier.VerifyEncoded"/>); a torn tail is cut off and a
/// bad block in the middle is reported in <see cref="Corruption"/> and never served.
/// </summary>
/// <remarks>
/// The open segment grows by <see cref="DurableFile.GrowBytes"/> of written zeros at a time and its records
/// go over them, so an append writes no inode or block map (as the acceptor log does); its records end at
/// the first zero header. A segment is trimmed to its records when it is closed, and so is the last one
/// when the journal is disposed.
/// </remarks>
public sealed partial class BlockJournal : IBlockStore
{
    private const string SegmentExtension = ".seg";
    private const string LockFileName = "journal.lock";

    private readonly BlockJournalOptions _options;
    private readonly ILogger _logger;
    private readonly FileStream _lock;
    private readonly Lock _gate = new();
    private readonly List<Segment> _segments = [];
    private readonly List<RecordRef> _records = [];
    private CommitQueue<JournalRequest>? _queue;
    private long _height = -1;
    private Hash256 _headHash;
    private JournalCorruption? _corruption;
    private Exception? _fault;
    private ArrayBufferWriter<byte>? _writeBuffer;

    private BlockJournal(string directory, BlockJournalOptions options, ILogger logger, FileStream lockFile)
    {
        Directory = directory;
        _options = options;
        _logger = logger;
        _lock = lockFile;
    }

    public string Directory { get; }

    public long Height
    {
        get
        {
            lock (_gate)
            {
                return _height;
            }
        }
    }

    public Hash256 HeadHash
    {
        get
        {
            lock (_gate)
            {
                return _headHash;
            }
        }
    }

    public JournalCorruption? Corruption
    {
        get
        {
            lock (_gate)
            {
                return _corruption;
            }
        }
    }

    /// <summary>The number of segment files, including any that hold only unserved (corrupt) records.</summary>
    public int SegmentCount
    {
        get
        {
            lock (_gate)
            {
                return _segments.Count;
            }
        }
    }

    /// <summary>Group commits done (one write + fdatasync per segment touched each); tests and benchmarks read it.</summary>
    internal long CommitCount { get; private set; }

    /// <summary>Writes that grew a segment by <see cref="DurableFile.GrowBytes"/> of zeros (a full fsync); the others needed only fdatasync.</summary>
    internal long GrowCount { get; private set; }

    /// <summary>Runs on the commit loop before each group commit's write; lets tests hold the loop while appends queue up.</summary>
    internal Action? BeforeCommit { get; set; }

    /// <summary>Opens (or creates) the journal in <paramref name="directory"/>, verifying every block; one process at a time holds it.</summary>
    /// <exception cref="IOException">Another journal instance holds the directory.</exception>
    public static async Task<BlockJournal> OpenAsync(
        string directory, BlockJournalOptions? options = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= new BlockJournalOptions();
        options.Validate();
        directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(directory);
        var lockFile = new FileStream(Path.Combine(directory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var journal = new BlockJournal(directory, options, logger ?? NullLogger.Instance, lockFile);
        try
        {
            await Task.Run(journal.Recover, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            journal.CloseFiles();
            throw;
        }

        journal._queue = new CommitQueue<JournalRequest>(journal.Process, options.MaxBatchAppends);
        return journal;
    }

    public Task AppendAsync(Block block, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(block);
        return AppendAsync([block], cancellationToken);
    }

    public Task AppendAsync(IReadOnlyList<Block> blocks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        cancellationToken.ThrowIfCancellationRequested();
        if (blocks.Count == 0)
        {
            return Task.CompletedTask;
        }

        // Encoding here spreads the CPU work over the callers; the commit loop only copies bytes.
        var encoded = new byte[blocks.Count][];
        for (var i = 0; i < encoded.Length; i++)
        {
            encoded[i] = BlockCodec.EncodeBlock(blocks[i]);
        }

        return Queue.Enqueue(new AppendRequest(blocks, encoded), nameof(BlockJournal));
    }

    public async Task<byte[]?> ReadEncodedAsync(long height, CancellationToken cancellationToken = default)
    {
        var range = await ReadEncodedRangeAsync(height, 1, cancellationToken).ConfigureAwait(false);
        return range.Count == 0 ? null : range[0];
    }

    public async Task<Block?> ReadAsync(long height, CancellationToken cancellationToken = default)
    {
        var bytes = await ReadEncodedAsync(height, cancellationToken).ConfigureAwait(false);
        return bytes is null ? null : BlockCodec.DecodeBlock(bytes);
    }

    /// <exception cref="InvalidDataException">A record changed on disk since the journal was opened (its CRC no longer matches).</exception>
    public async Task<IReadOnlyList<byte[]>> ReadEncodedRangeAsync(long fromHeight, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromHeight);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        RecordRef[] records;
        lock (_gate)
        {
            var available = Math.Min(count, _records.Count - fromHeight);
            records = available <= 0 ? [] : _records.GetRange((int)fromHeight, (int)available).ToArray();
        }

        var result = new byte[records.Length][];
        var start = 0;
        while (start < records.Length)
        {
            // One read per run of records in the same segment.
            var end = start + 1;
            while (end < records.Length && records[end].Segment == records[start].Segment)
            {
                end++;
            }

            await ReadRunAsync(records, start, end, fromHeight, result, cancellationToken).ConfigureAwait(false);
            start = end;
        }

        return result;
    }

    /// <summary>
    /// One block, read synchronously (a single positioned read, no thread hop): for a caller that must not
    /// wait asynchronously, such as the chain actor reading a block it no longer keeps in memory. Null beyond the head.
    /// </summary>
    /// <exception cref="InvalidDataException">The record changed on disk since the journal was opened.</exception>
    public Block? ReadBlock(long height)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        RecordRef record;
        lock (_gate)
        {
            if (height >= _records.Count)
            {
                return null;
            }

            record = _records[(int)height];
        }

        var buffer = new byte[record.Length];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = RandomAccess.Read(record.Segment.Handle, buffer.AsSpan(read), record.PayloadOffset + read);
            if (n == 0)
            {
                throw new InvalidDataException($"Block {height} is missing from {record.Segment.Path}: the file is shorter than the journal's index.");
            }

            read += n;
        }

        if (Crc32C.Compute(buffer) != record.Crc)
        {
            throw new InvalidDataException(
                $"Block {height} in {record.Segment.Path} no longer matches its CRC-32C: the file changed on disk since the journal was opened.");
        }

        return BlockCodec.DecodeBlock(buffer);
    }

    public async Task<IReadOnlyList<Block>> ReadRangeAsync(long fromHeight, int count, CancellationToken cancellationToken = default)
    {
        var encoded = await ReadEncodedRangeAsync(fromHeight, count, cancellationToken).ConfigureAwait(false);
        var blocks = new Block[encoded.Count];
        for (var i = 0; i < blocks.Length; i++)
        {
            blocks[i] = BlockCodec.DecodeBlock(encoded[i]);
        }

        return blocks;
    }

    public Task TruncateAfterAsync(long height, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(height, -1);
        cancellationToken.ThrowIfCancellationRequested();
        return Queue.Enqueue(new TruncateRequest(height), nameof(BlockJournal));
    }

    public async ValueTask DisposeAsync()
    {
        if (_queue is { } queue)
        {
            await queue.CompleteAsync().ConfigureAwait(false);
        }

        TrimLastSegment();
        CloseFiles();
    }

    private CommitQueue<JournalRequest> Queue => _queue ?? throw new ObjectDisposedException(nameof(BlockJournal));

    private async Task ReadRunAsync(RecordRef[] records, int start, int end, long fromHeight, byte[][] result, CancellationToken cancellationToken)
    {
        var first = records[start];
        var last = records[end - 1];
        var offset = first.PayloadOffset - RecordFormat.HeaderSize;
        var buffer = new byte[last.PayloadOffset + last.Length - offset];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await RandomAccess.ReadAsync(first.Segment.Handle, buffer.AsMemory(read), offset + read, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new InvalidDataException($"Block {fromHeight + start} is missing from {first.Segment.Path}: the file is shorter than the journal's index.");
            }

            read += n;
        }

        for (var i = start; i < end; i++)
        {
            var record = records[i];
            var payload = buffer.AsSpan((int)(record.PayloadOffset - offset), record.Length);
            if (Crc32C.Compute(payload) != record.Crc)
            {
                throw new InvalidDataException(
                    $"Block {fromHeight + i} in {record.Segment.Path} no longer matches its CRC-32C: the file changed on disk since the journal was opened.");
            }

            result[i] = payload.ToArray();
        }
    }

    // A journal closed cleanly leaves no zeros behind its last record; one that crashed does, and reopens past them.
    private void TrimLastSegment()
    {
        if (_fault is not null || _segments.Count == 0)
        {
            return;
        }

        try
        {
            Trim(_segments[^1]);
        }
        catch (IOException)
        {
            // The zeros stay: a valid end of the records, which the next open finds.
        }
    }

    private void CloseFiles()
    {
        lock (_gate)
        {
            foreach (var segment in _segments)
            {
                segment.Handle.Dispose();
            }
        }

        _lock.Dispose();
    }

    private static string SegmentName(long firstHeight) => firstHeight.ToString("D20", CultureInfo.InvariantCulture) + SegmentExtension;

    private sealed class Segment(long firstHeight, string path, SafeFileHandle handle, long length, long allocated)
    {
        public long FirstHeight { get; } = firstHeight;

        public string Path { get; } = path;

        public SafeFileHandle Handle { get; } = handle;

        /// <summary>Bytes of records written and synced; owned by the commit loop once the journal is open.</summary>
        public long Length { get; set; } = length;

        /// <summary>The file's size: the records, then the zeros the next appends go into (see <see cref="DurableFile.WriteInPlace"/>).</summary>
        public long Allocated { get; set; } = allocated;

        public string Name => System.IO.Path.GetFileName(Path);
    }

    private readonly record struct RecordRef(Segment Segment, long PayloadOffset, int Length, uint Crc);
}
