using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using ActorChain.Chain.Canonical;
using ActorChain.Chain.Signing;

namespace ActorChain.Chain.Ledger;

/// <summary>
/// The saved form of a <see cref="LedgerState"/>: deterministic (every collection in ordinal
/// order, so one state has one encoding), versioned, and closed by a SHA-256 of everything before
/// it, so a damaged snapshot is refused rather than restored. Indexes are not stored: restoring
/// rebuilds them from the files, and <see cref="LedgerState.ComputeStateDigest()"/> checks they match.
/// </summary>
/// <remarks>
/// Layout (little-endian): magic "ACLS" · version(u8) · height(i64) · head hash(32) · block hashes
/// (i64 count, hashes) · cluster id · voters · voter key eras (version 2 only: i32 count, 0 for a chain
/// without signed blocks; per era its first height (i64) and its voters' keys as node id and 65-byte
/// point, by node id) · fields · keys · tasks · entry ids · files · SHA-256(32) of all bytes before it.
/// Text is an i32 UTF-8 byte length (-1 for null) and the bytes. Version 1 (no key eras) still reads.
/// </remarks>
public static class LedgerSnapshot
{
    public const byte CurrentVersion = 2;

    /// <summary>Snapshots written before signed blocks: no voter key eras.</summary>
    private const byte VersionWithoutKeys = 1;

    private const int HeaderSize = 4 + 1 + 8 + Hash256.Size;
    private const int TrailerSize = Hash256.Size;
    private static ReadOnlySpan<byte> Magic => "ACLS"u8;

    /// <exception cref="InvalidOperationException">The ledger has not applied its genesis block yet.</exception>
    public static byte[] Encode(LedgerState state) => Capture(state).Encode();

    /// <summary>
    /// Copies what a snapshot holds out of <paramref name="state"/> without sorting or encoding it: the
    /// ledger's owner pays only for the copy, and <see cref="CapturedLedger.Encode"/> runs on any thread. Entry ids
    /// and block hashes, the parts that grow with every write, are not copied here at all: the capture keeps a
    /// prefix of their append-only logs, and the encoder copies it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The ledger has not applied its genesis block yet.</exception>
    public static CapturedLedger Capture(LedgerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Height < 0)
        {
            throw new InvalidOperationException("A ledger without its genesis block has nothing to snapshot.");
        }

        var tasks = new (string TaskId, TaskClaim[] Claims)[state.TaskRecordCount];
        var t = 0;
        foreach (var (taskId, claims) in state.TaskRecords())
        {
            tasks[t++] = (taskId, claims.ToArray());
        }

        return new CapturedLedger(
            state.Height,
            state.HeadHash,
            state.BlockHashes,
            state.ClusterId,
            [.. state.Voters],
            state.VoterKeys,
            [.. state.Fields],
            [.. state.KvRecords],
            tasks,
            state.EntryRecords,
            [.. state.AllFiles]);
    }

    /// <summary>A ledger's contents copied by <see cref="Capture"/>; immutable, so it encodes on any thread.</summary>
    public sealed class CapturedLedger
    {
        private readonly AppendOnlyLog<Hash256>.Prefix _blockHashes;
        private readonly string? _clusterId;
        private readonly string[] _voters;
        private readonly VoterKeyHistory? _voterKeys;
        private readonly KeyValuePair<string, FieldType>[] _fields;
        private readonly KeyValuePair<string, KvRecord>[] _keys;
        private readonly (string TaskId, TaskClaim[] Claims)[] _tasks;
        private readonly AppendOnlyLog<LedgerState.EntryLogItem>.Prefix _entries;
        private readonly FileRecord[] _files;

        internal CapturedLedger(
            long height,
            Hash256 headHash,
            AppendOnlyLog<Hash256>.Prefix blockHashes,
            string? clusterId,
            string[] voters,
            VoterKeyHistory? voterKeys,
            KeyValuePair<string, FieldType>[] fields,
            KeyValuePair<string, KvRecord>[] keys,
            (string TaskId, TaskClaim[] Claims)[] tasks,
            AppendOnlyLog<LedgerState.EntryLogItem>.Prefix entries,
            FileRecord[] files)
        {
            Height = height;
            HeadHash = headHash;
            _blockHashes = blockHashes;
            _clusterId = clusterId;
            _voters = voters;
            _voterKeys = voterKeys;
            _fields = fields;
            _keys = keys;
            _tasks = tasks;
            _entries = entries;
            _files = files;
        }

        public long Height { get; }

        public Hash256 HeadHash { get; }

        /// <summary>The snapshot's bytes: copies the captured logs, sorts every collection (one state, one encoding) and writes them.</summary>
        public byte[] Encode()
        {
            var writer = new SnapshotWriter(64 + (_keys.Length * 96) + (_entries.Count * 48));
            writer.WriteRaw(Magic);
            writer.WriteByte(CurrentVersion);
            writer.WriteInt64(Height);
            writer.WriteHash(HeadHash);

            writer.WriteInt64(_blockHashes.Count);
            foreach (var hash in _blockHashes)
            {
                writer.WriteHash(hash);
            }

            writer.WriteText(_clusterId);
            writer.WriteInt32(_voters.Length);
            foreach (var voter in _voters)
            {
                writer.WriteText(voter);
            }

            WriteVoterKeys(writer, _voterKeys);
            writer.WriteInt32(_fields.Length);
            foreach (var (name, type) in _fields)
            {
                writer.WriteText(name);
                writer.WriteByte((byte)type);
            }

            WriteKeys(writer, _keys);
            WriteTasks(writer, _tasks);
            WriteEntries(writer, _entries.ToArray());
            WriteFiles(writer, _files);
            return writer.Finish();
        }
    }

    /// <exception cref="ChainFormatException">The bytes are damaged, of another version, or not a snapshot.</exception>
    public static LedgerState Decode(ReadOnlySpan<byte> snapshot)
    {
        ReadHeader(snapshot, out var height, out var headHash);
        var reader = new CanonicalReader(snapshot[HeaderSize..^TrailerSize]);
        try
        {
            var state = Read(ref reader, height, headHash, withKeys: snapshot[4] != VersionWithoutKeys);
            if (reader.Remaining != 0)
            {
                CanonicalReader.Fail($"{reader.Remaining} bytes follow the snapshot's last section");
            }

            return state;
        }
        catch (ArgumentException e)
        {
            throw new ChainFormatException($"The snapshot at height {height} does not describe a valid ledger: {e.Message}");
        }
    }

    public static bool TryDecode(ReadOnlySpan<byte> snapshot, out LedgerState? state, out string? error)
    {
        try
        {
            state = Decode(snapshot);
            error = null;
            return true;
        }
        catch (ChainFormatException e)
        {
            state = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Checks the magic, the version and the trailing SHA-256, and reads the chain position without decoding the rest.</summary>
    /// <exception cref="ChainFormatException">The bytes are damaged, of another version, or not a snapshot.</exception>
    public static void ReadHeader(ReadOnlySpan<byte> snapshot, out long height, out Hash256 headHash)
    {
        if (snapshot.Length < HeaderSize + TrailerSize || !snapshot[..4].SequenceEqual(Magic))
        {
            CanonicalReader.Fail("the data is not a ledger snapshot (no ACLS header)");
        }

        if (snapshot[4] is not (CurrentVersion or VersionWithoutKeys))
        {
            CanonicalReader.Fail($"snapshot layout version {snapshot[4]} is not supported (this node reads versions {VersionWithoutKeys} and {CurrentVersion})");
        }

        Span<byte> checksum = stackalloc byte[Hash256.Size];
        SHA256.HashData(snapshot[..^TrailerSize], checksum);
        if (!checksum.SequenceEqual(snapshot[^TrailerSize..]))
        {
            CanonicalReader.Fail("the snapshot's SHA-256 does not match its contents: it is damaged");
        }

        height = BinaryPrimitives.ReadInt64LittleEndian(snapshot[5..]);
        headHash = new Hash256(snapshot.Slice(13, Hash256.Size));
    }

    private static void WriteVoterKeys(SnapshotWriter writer, VoterKeyHistory? history)
    {
        var eras = history?.Eras ?? [];
        writer.WriteInt32(eras.Count);
        foreach (var (fromHeight, keys) in eras)
        {
            writer.WriteInt64(fromHeight);
            var voters = keys.Keys.ToArray();
            Array.Sort(voters, StringComparer.Ordinal);
            writer.WriteInt32(voters.Length);
            foreach (var voter in voters)
            {
                writer.WriteText(voter);
                writer.WriteRaw(keys[voter].Point);
            }
        }
    }

    private static VoterKeyHistory? ReadVoterKeys(ref CanonicalReader reader)
    {
        var eras = new (long FromHeight, IReadOnlyDictionary<string, VoterKey> Keys)[ReadCount(ref reader, 12, "voter key eras")];
        for (var i = 0; i < eras.Length; i++)
        {
            var fromHeight = reader.ReadInt64();
            var keys = new Dictionary<string, VoterKey>(StringComparer.Ordinal);
            var count = ReadCount(ref reader, 4 + VoterKey.Size, "voter keys");
            for (var k = 0; k < count; k++)
            {
                var voter = ReadText(ref reader, "a voter of a key era") ?? Null("a voter of a key era");
                if (!VoterKey.TryFromPoint(reader.ReadBytes(VoterKey.Size, $"the key of {voter}"), out var key, out var error))
                {
                    CanonicalReader.Fail($"the key of {voter} from height {fromHeight} is not a P-256 public key: {error}");
                }

                if (!keys.TryAdd(voter, key!))
                {
                    CanonicalReader.Fail($"the key era from height {fromHeight} lists {voter} twice");
                }
            }

            eras[i] = (fromHeight, keys);
        }

        return eras.Length == 0 ? null : VoterKeyHistory.Restore(eras);
    }

    private static void WriteKeys(SnapshotWriter writer, KeyValuePair<string, KvRecord>[] records)
    {
        Array.Sort(records, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        writer.WriteInt32(records.Length);
        foreach (var (key, record) in records)
        {
            writer.WriteText(key);
            writer.WriteInt32(record.Value.Length);
            writer.WriteRaw(record.Value.Span);
            writer.WriteInt64(record.Height);
            writer.WriteText(record.EntryId);
        }
    }

    private static void WriteTasks(SnapshotWriter writer, (string TaskId, TaskClaim[] Claims)[] tasks)
    {
        Array.Sort(tasks, static (a, b) => string.CompareOrdinal(a.TaskId, b.TaskId));
        writer.WriteInt32(tasks.Length);
        foreach (var (taskId, claims) in tasks)
        {
            writer.WriteText(taskId);
            writer.WriteInt32(claims.Length);
            foreach (var claim in claims)
            {
                writer.WriteText(claim.NodeId);
                writer.WriteInt64(claim.Height);
                writer.WriteText(claim.EntryId);
            }
        }
    }

    private static void WriteEntries(SnapshotWriter writer, LedgerState.EntryLogItem[] entries)
    {
        Array.Sort(entries, static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        writer.WriteInt32(entries.Length);
        foreach (var (id, height, status, reason) in entries)
        {
            writer.WriteText(id);
            writer.WriteInt64(height);
            writer.WriteByte((byte)status);
            writer.WriteText(reason);
        }
    }

    private static void WriteFiles(SnapshotWriter writer, FileRecord[] files)
    {
        Array.Sort(files, static (a, b) => string.CompareOrdinal(a.FileId, b.FileId));
        writer.WriteInt32(files.Length);
        foreach (var file in files)
        {
            writer.WriteBlob(file.Added.Encode());
            var metadata = new PayloadBuilder();
            PayloadCodec.WriteTags(metadata, file.Tags);
            PayloadCodec.WriteFields(metadata, file.Fields);
            writer.WriteBlob(metadata.ToArray());
            writer.WriteInt64(file.AddedHeight);
            writer.WriteHash(file.AddedBlockHash);
            writer.WriteText(file.AddedEntryId);
            writer.WriteInt64(file.UpdatedHeight);
            writer.WriteHash(file.UpdatedBlockHash);
            writer.WriteText(file.UpdatedEntryId);
        }
    }

    private static LedgerState Read(ref CanonicalReader reader, long height, Hash256 headHash, bool withKeys)
    {
        var hashCount = reader.ReadInt64();
        if (height < 0 || hashCount != height + 1 || hashCount > reader.Remaining / Hash256.Size)
        {
            CanonicalReader.Fail($"the snapshot at height {height} lists {hashCount} block hashes; it must list {height + 1}");
        }

        var hashes = new Hash256[hashCount];
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = reader.ReadHash();
        }

        if (hashes[^1] != headHash)
        {
            CanonicalReader.Fail($"the snapshot's head hash {headHash} is not the hash it lists for block {height}");
        }

        var clusterId = ReadText(ref reader, "the cluster id");
        var voters = new string[ReadCount(ref reader, 5, "voters")];
        for (var i = 0; i < voters.Length; i++)
        {
            voters[i] = ReadText(ref reader, "a voter") ?? Null("a voter");
        }

        var state = new LedgerState();
        state.RestoreChainPosition(hashes, clusterId, voters);
        if (withKeys && ReadVoterKeys(ref reader) is { } history)
        {
            state.RestoreVoterKeys(history);
        }

        var fieldCount = ReadCount(ref reader, 6, "fields");
        for (var i = 0; i < fieldCount; i++)
        {
            var name = ReadText(ref reader, "a field name") ?? Null("a field name");
            var type = (FieldType)reader.ReadByte();
            if (!FieldTypes.IsDefined(type))
            {
                CanonicalReader.Fail($"field '{name}' has unknown type {(byte)type}");
            }

            state.RestoreField(name, type);
        }

        var keyCount = ReadCount(ref reader, 20, "keys");
        for (var i = 0; i < keyCount; i++)
        {
            var key = ReadText(ref reader, "a key") ?? Null("a key");
            var value = reader.ReadBytes(reader.ReadInt32(), $"the value of key '{key}'").ToArray();
            var writtenAt = reader.ReadInt64();
            state.RestoreKey(key, new KvRecord(value, writtenAt, ReadText(ref reader, "an entry id") ?? Null("an entry id")));
        }

        var taskCount = ReadCount(ref reader, 12, "tasks");
        for (var i = 0; i < taskCount; i++)
        {
            var taskId = ReadText(ref reader, "a task id") ?? Null("a task id");
            var claims = new TaskClaim[ReadCount(ref reader, 16, "claims")];
            if (claims.Length == 0)
            {
                CanonicalReader.Fail($"task '{taskId}' has no claim");
            }

            for (var c = 0; c < claims.Length; c++)
            {
                var nodeId = ReadText(ref reader, "a claimant") ?? Null("a claimant");
                var claimHeight = reader.ReadInt64();
                claims[c] = new TaskClaim(taskId, nodeId, claimHeight, ReadText(ref reader, "an entry id") ?? Null("an entry id"));
            }

            state.RestoreTask(taskId, claims);
        }

        var entryCount = ReadCount(ref reader, 17, "entry ids");
        for (var i = 0; i < entryCount; i++)
        {
            var id = ReadText(ref reader, "an entry id") ?? Null("an entry id");
            var entryHeight = reader.ReadInt64();
            var status = (EntryStatus)reader.ReadByte();
            if (status is < EntryStatus.Applied or > EntryStatus.Lost)
            {
                CanonicalReader.Fail($"entry '{id}' has unknown status {(byte)status}");
            }

            state.RestoreEntry(id, entryHeight, status, ReadText(ref reader, "a reason"));
        }

        var fileCount = ReadCount(ref reader, 100, "files");
        for (var i = 0; i < fileCount; i++)
        {
            state.RestoreFile(ReadFile(ref reader));
        }

        return state;
    }

    private static FileRecord ReadFile(ref CanonicalReader reader)
    {
        var added = FileAddPayload.Decode(reader.ReadBytes(reader.ReadInt32(), "a file"));
        var metadata = new CanonicalReader(reader.ReadBytes(reader.ReadInt32(), $"the metadata of file '{added.FileId}'"));
        var tags = PayloadCodec.ReadTags(ref metadata, $"the tags of file '{added.FileId}'");
        var fields = PayloadCodec.ReadFields(ref metadata, $"the fields of file '{added.FileId}'");
        var addedHeight = reader.ReadInt64();
        var addedHash = reader.ReadHash();
        var addedEntryId = ReadText(ref reader, "an entry id") ?? Null("an entry id");
        var updatedHeight = reader.ReadInt64();
        var updatedHash = reader.ReadHash();
        var updatedEntryId = ReadText(ref reader, "an entry id") ?? Null("an entry id");
        return FileRecord.Create(added, addedHeight, addedHash, addedEntryId).WithMetadata(
            ImmutableSortedSet.Create(StringComparer.Ordinal, tags),
            FileFields.Build(fields, $"fields of file '{added.FileId}'"),
            updatedHeight,
            updatedHash,
            updatedEntryId);
    }

    // Each element takes at least minBytes, so a damaged count cannot make us allocate more than the data could hold.
    private static int ReadCount(ref CanonicalReader reader, int minBytes, string what)
    {
        var count = reader.ReadInt32();
        if (count < 0 || count > reader.Remaining / minBytes)
        {
            CanonicalReader.Fail($"the snapshot lists {count} {what} but only {reader.Remaining} bytes follow");
        }

        return count;
    }

    private static string? ReadText(ref CanonicalReader reader, string what)
    {
        var length = reader.ReadInt32();
        if (length == -1)
        {
            return null;
        }

        var bytes = reader.ReadBytes(length, what);
        try
        {
            return ChainLimits.Utf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            CanonicalReader.Fail($"{what} is not valid UTF-8");
            return null;
        }
    }

    private static string Null(string what)
    {
        CanonicalReader.Fail($"{what} is missing");
        return string.Empty;
    }

    private sealed class SnapshotWriter(int initialCapacity)
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(initialCapacity);

        public void WriteByte(byte value)
        {
            _buffer.GetSpan(1)[0] = value;
            _buffer.Advance(1);
        }

        public void WriteInt32(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_buffer.GetSpan(4), value);
            _buffer.Advance(4);
        }

        public void WriteInt64(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), value);
            _buffer.Advance(8);
        }

        public void WriteHash(Hash256 hash)
        {
            hash.WriteTo(_buffer.GetSpan(Hash256.Size));
            _buffer.Advance(Hash256.Size);
        }

        public void WriteRaw(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

        public void WriteBlob(ReadOnlySpan<byte> bytes)
        {
            WriteInt32(bytes.Length);
            WriteRaw(bytes);
        }

        public void WriteText(string? text)
        {
            if (text is null)
            {
                WriteInt32(-1);
                return;
            }

            var length = ChainLimits.Utf8.GetByteCount(text);
            WriteInt32(length);
            _buffer.Advance(ChainLimits.Utf8.GetBytes(text, _buffer.GetSpan(length)));
        }

        public byte[] Finish()
        {
            var written = _buffer.WrittenSpan;
            var bytes = new byte[written.Length + TrailerSize];
            written.CopyTo(bytes);
            SHA256.HashData(written, bytes.AsSpan(written.Length));
            return bytes;
        }
    }
}
