using ActorChain.Chain.Canonical;

namespace ActorChain.Chain;

/// <summary>
/// The canonical, versioned, little-endian binary layout of headers, entries and blocks
/// (docs/protocol.md). Every node hashes these exact bytes, so the layout never changes
/// within a version.
/// </summary>
public static class BlockCodec
{
    /// <summary>Entries a decoded block may announce; bounds the work a hostile block can cause.</summary>
    public const int MaxEntriesPerBlock = 1_000_000;

    /// <summary>The signature slot's upper bound (an ECDSA P-256 DER signature is at most 72 bytes).</summary>
    public const int MaxSignatureBytes = 512;

    // kind(1) + id length(2) + id(>=1) + origin length(1) + origin(>=1) + submittedAt(8) + payload length(4)
    internal const int MinEntrySize = 18;

    public static int GetHeaderSize(BlockHeader header) =>
        1 + 8 + Hash256.Size + 8 + 1 + ChainLimits.Utf8.GetByteCount(header.Proposer) + Hash256.Size + 4;

    public static void WriteHeader(BlockHeader header, Span<byte> destination)
    {
        var writer = new CanonicalWriter(destination);
        writer.WriteByte(header.Version);
        writer.WriteInt64(header.Height);
        writer.WriteHash(header.PrevHash);
        writer.WriteInt64(header.TimestampUnixMs);
        writer.WriteText(header.Proposer, shortPrefix: true);
        writer.WriteHash(header.EntriesRoot);
        writer.WriteInt32(header.EntryCount);
    }

    public static int GetEntrySize(Entry entry) =>
        1 + 2 + ChainLimits.Utf8.GetByteCount(entry.Id) + 1 + ChainLimits.Utf8.GetByteCount(entry.Origin) + 8 + 4 + entry.Payload.Length;

    public static void WriteEntry(Entry entry, Span<byte> destination)
    {
        var writer = new CanonicalWriter(destination);
        WriteEntry(entry, ref writer);
    }

    public static int GetBlockSize(Block block)
    {
        var size = GetHeaderSize(block.Header) + Hash256.Size + 2 + block.Signature.Length;
        foreach (var entry in block.Entries)
        {
            size += GetEntrySize(entry);
        }

        return size;
    }

    /// <summary>Header, claimed hash, entries, then the signature slot.</summary>
    public static void WriteBlock(Block block, Span<byte> destination)
    {
        if (block.Signature.Length > MaxSignatureBytes)
        {
            throw new ArgumentException($"A block signature is at most {MaxSignatureBytes} bytes.", nameof(block));
        }

        if (block.Entries.Count != block.Header.EntryCount)
        {
            throw new ArgumentException(
                $"Block {block.Height} lists {block.Entries.Count} entries but its header says {block.Header.EntryCount}.", nameof(block));
        }

        var headerSize = GetHeaderSize(block.Header);
        WriteHeader(block.Header, destination);
        var writer = new CanonicalWriter(destination[headerSize..]);
        writer.WriteHash(block.Hash);
        foreach (var entry in block.Entries)
        {
            WriteEntry(entry, ref writer);
        }

        writer.WriteUInt16((ushort)block.Signature.Length);
        writer.WriteBytes(block.Signature.Span);
    }

    public static byte[] EncodeBlock(Block block)
    {
        var bytes = new byte[GetBlockSize(block)];
        WriteBlock(block, bytes);
        return bytes;
    }

    /// <summary>Reads exactly one block; trailing bytes are an error.</summary>
    /// <exception cref="ChainFormatException">The bytes are not a block in the canonical layout.</exception>
    public static Block DecodeBlock(ReadOnlySpan<byte> source)
    {
        var reader = new CanonicalReader(source);
        var block = ReadBlock(ref reader);
        if (reader.Remaining != 0)
        {
            CanonicalReader.Fail($"{reader.Remaining} bytes follow the block's signature");
        }

        return block;
    }

    public static bool TryDecodeBlock(ReadOnlySpan<byte> source, out Block? block, out string? error)
    {
        try
        {
            block = DecodeBlock(source);
            error = null;
            return true;
        }
        catch (ChainFormatException e)
        {
            block = null;
            error = e.Message;
            return false;
        }
    }

    /// <exception cref="ChainFormatException">The bytes are not one entry in the canonical layout.</exception>
    public static Entry DecodeEntry(ReadOnlySpan<byte> source)
    {
        var reader = new CanonicalReader(source);
        var entry = ReadEntry(ref reader);
        if (reader.Remaining != 0)
        {
            CanonicalReader.Fail($"{reader.Remaining} bytes follow the entry");
        }

        return entry;
    }

    /// <summary>Everything of an entry's canonical bytes but the payload itself, which follows them.</summary>
    internal static void WriteEntryFields(Entry entry, ref CanonicalWriter writer)
    {
        writer.WriteByte((byte)entry.Kind);
        writer.WriteText(entry.Id, shortPrefix: false);
        writer.WriteText(entry.Origin, shortPrefix: true);
        writer.WriteInt64(entry.SubmittedAtUnixMs);
        writer.WriteInt32(entry.Payload.Length);
    }

    private static void WriteEntry(Entry entry, ref CanonicalWriter writer)
    {
        WriteEntryFields(entry, ref writer);
        writer.WriteBytes(entry.Payload.Span);
    }

    private static Block ReadBlock(ref CanonicalReader reader)
    {
        var version = reader.ReadByte();
        if (version != BlockHeader.CurrentVersion)
        {
            CanonicalReader.Fail($"block layout version {version} is not supported (this node reads version {BlockHeader.CurrentVersion})");
        }

        var height = reader.ReadInt64();
        if (height < 0)
        {
            CanonicalReader.Fail($"block height {height} is negative");
        }

        var prevHash = reader.ReadHash();
        var timestamp = reader.ReadInt64();
        var proposer = reader.ReadText(shortPrefix: true, Entry.MaxNodeIdBytes, "the proposer node id");
        var entriesRoot = reader.ReadHash();
        var entryCount = reader.ReadInt32();
        if (entryCount < 0 || entryCount > MaxEntriesPerBlock)
        {
            CanonicalReader.Fail($"block {height} announces {entryCount} entries; at most {MaxEntriesPerBlock} are allowed");
        }

        var hash = reader.ReadHash();
        // Each entry takes at least MinEntrySize bytes: refuse a count the data cannot hold before allocating for it.
        if ((long)entryCount * MinEntrySize > reader.Remaining)
        {
            CanonicalReader.Fail($"block {height} announces {entryCount} entries but only {reader.Remaining} bytes follow");
        }

        var entries = new Entry[entryCount];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = ReadEntry(ref reader);
        }

        int signatureLength = reader.ReadUInt16();
        if (signatureLength > MaxSignatureBytes)
        {
            CanonicalReader.Fail($"block {height} has a {signatureLength}-byte signature; at most {MaxSignatureBytes} are allowed");
        }

        var signature = reader.ReadBytes(signatureLength, "the signature").ToArray();
        var header = new BlockHeader(version, height, prevHash, timestamp, proposer, entriesRoot, entryCount);
        return new Block(header, entries, hash, signature);
    }

    private static Entry ReadEntry(ref CanonicalReader reader)
    {
        var kind = (EntryKind)reader.ReadByte();
        if (!EntryKinds.IsDefined(kind))
        {
            CanonicalReader.Fail($"entry kind {(byte)kind} is unknown");
        }

        var id = reader.ReadText(shortPrefix: false, Entry.MaxIdBytes, "an entry id");
        var origin = reader.ReadText(shortPrefix: true, Entry.MaxNodeIdBytes, "an entry's origin node id");
        var submittedAt = reader.ReadInt64();
        var payloadLength = reader.ReadInt32();
        if (payloadLength < 0 || payloadLength > Entry.MaxPayloadBytes)
        {
            CanonicalReader.Fail($"entry {id} has a payload of {payloadLength} bytes; at most {Entry.MaxPayloadBytes} are allowed");
        }

        var payload = reader.ReadBytes(payloadLength, $"the payload of entry {id}").ToArray();
        return new Entry(id, kind, payload, origin, submittedAt, validate: false);
    }
}
