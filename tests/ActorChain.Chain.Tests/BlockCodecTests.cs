using System.Buffers.Binary;

namespace ActorChain.Chain.Tests;

public sealed class BlockCodecTests
{
    // One block by "node-2" (6 bytes) with entries "a" and "bb" from "node-1", 16-byte payloads.
    private const int ProposerLength = 6;
    private const int HeightOffset = 1;
    private const int EntryCountOffset = 50 + ProposerLength + Hash256.Size;
    private const int FirstEntryOffset = EntryCountOffset + 4 + Hash256.Size;
    private const int FirstIdOffset = FirstEntryOffset + 3;
    private const int FirstPayloadLengthOffset = FirstIdOffset + 1 + 1 + 6 + 8;

    private static readonly Block Sample = TestChains.Next(TestChains.Genesis(), [TestChains.Put("a"), TestChains.Put("bb")]);

    [Fact]
    public void EncodeDecode_Block_RoundTripsBytesAndFields()
    {
        var signed = Sample.WithSignature(new byte[] { 9, 8, 7 });
        var bytes = BlockCodec.EncodeBlock(signed);

        var decoded = BlockCodec.DecodeBlock(bytes);

        Assert.Equal(BlockCodec.GetBlockSize(signed), bytes.Length);
        Assert.Equal(bytes, BlockCodec.EncodeBlock(decoded));
        Assert.Equal(signed.Header, decoded.Header);
        Assert.Equal(signed.Hash, decoded.Hash);
        Assert.Equal(new byte[] { 9, 8, 7 }, decoded.Signature.ToArray());
        Assert.Equal(["a", "bb"], decoded.Entries.Select(e => e.Id));
        Assert.Equal(Sample.Entries[1].Payload.ToArray(), decoded.Entries[1].Payload.ToArray());
    }

    [Fact]
    public void Layout_SampleOffsets_MatchTheDocumentedLayout()
    {
        // The offsets the other tests poke at, checked once against what they should hold.
        var bytes = BlockCodec.EncodeBlock(Sample);

        Assert.Equal(BlockHeader.CurrentVersion, bytes[0]);
        Assert.Equal(1, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(HeightOffset)));
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(EntryCountOffset)));
        Assert.Equal((byte)EntryKind.KvPut, bytes[FirstEntryOffset]);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(FirstEntryOffset + 1)));
        Assert.Equal((byte)'a', bytes[FirstIdOffset]);
        Assert.Equal(16, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(FirstPayloadLengthOffset)));
        Assert.Equal(Sample.Hash, new Hash256(bytes.AsSpan(EntryCountOffset + 4, Hash256.Size)));
    }

    [Fact]
    public void Decode_EveryTruncation_IsRejected()
    {
        var bytes = BlockCodec.EncodeBlock(Sample);

        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<ChainFormatException>(() => BlockCodec.DecodeBlock(bytes.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Decode_TrailingBytes_IsRejected()
    {
        byte[] bytes = [.. BlockCodec.EncodeBlock(Sample), 0];

        var e = Assert.Throws<ChainFormatException>(() => BlockCodec.DecodeBlock(bytes));
        Assert.Contains("1 bytes follow", e.Message);
    }

    [Fact]
    public void Decode_OtherLayoutVersion_IsRejected()
    {
        var bytes = BlockCodec.EncodeBlock(Sample);
        bytes[0] = 2;

        var e = Assert.Throws<ChainFormatException>(() => BlockCodec.DecodeBlock(bytes));
        Assert.Contains("version 2", e.Message);
    }

    [Fact]
    public void Decode_NegativeHeight_IsRejected()
    {
        var bytes = BlockCodec.EncodeBlock(Sample);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(HeightOffset), -1);

        Assert.Throws<ChainFormatException>(() => BlockCodec.DecodeBlock(bytes));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(BlockCodec.MaxEntriesPerBlock + 1)]
    [InlineData(int.MaxValue)]
    [InlineData(BlockCodec.MaxEntriesPerBlock)]
    public void Decode_EntryCountBeyondLimitOrData_IsRejectedWithoutAllocatingForIt(int count)
    {
        var bytes = BlockCodec.EncodeBlock(Sample);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(EntryCountOffset), count);

        AssertRejectedCheaply(bytes, "entries");
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(Entry.MaxPayloadBytes + 1)]
    [InlineData(-5)]
    [InlineData(Entry.MaxPayloadBytes)]
    public void Decode_PayloadLengthBeyondLimitOrData_IsRejectedWithoutAllocatingForIt(int length)
    {
        var bytes = BlockCodec.EncodeBlock(Sample);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(FirstPayloadLengthOffset), length);

        AssertRejectedCheaply(bytes, "payload");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(Entry.MaxIdBytes + 1)]
    [InlineData(ushort.MaxValue)]
    public void Decode_IdLengthOutOfRange_IsRejected(int length)
    {
        var bytes = BlockCodec.EncodeBlock(Sample);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(FirstEntryOffset + 1), (ushort)length);

        AssertRejectedCheaply(bytes, "entry id");
    }

    [Fact]
    public void Decode_SignatureLongerThanLimit_IsRejected()
    {
        byte[] bytes = [.. BlockCodec.EncodeBlock(Sample)];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(bytes.Length - 2), BlockCodec.MaxSignatureBytes + 1);
        byte[] padded = [.. bytes, .. new byte[BlockCodec.MaxSignatureBytes + 1]];

        var e = Assert.Throws<ChainFormatException>(() => BlockCodec.DecodeBlock(padded));
        Assert.Contains("signature", e.Message);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(200)]
    [InlineData(255)]
    public void Decode_UnknownEntryKind_IsRejected(byte kind)
    {
        var bytes = BlockCodec.EncodeBlock(Sample);
        bytes[FirstEntryOffset] = kind;

        var e = Assert.Throws<ChainFormatException>(() => BlockCodec.DecodeBlock(bytes));
        Assert.Contains($"kind {kind}", e.Message);
    }

    [Theory]
    [InlineData(0xFF)]
    [InlineData(0xC0)]
    [InlineData(0x80)]
    public void Decode_InvalidUtf8InId_IsRejected(byte invalid)
    {
        var bytes = BlockCodec.EncodeBlock(Sample);
        bytes[FirstIdOffset] = invalid;

        var e = Assert.Throws<ChainFormatException>(() => BlockCodec.DecodeBlock(bytes));
        Assert.Contains("UTF-8", e.Message);
    }

    [Fact]
    public void TryDecode_Garbage_ReturnsTheReason()
    {
        Assert.False(BlockCodec.TryDecodeBlock([1, 2], out var block, out var error));
        Assert.Null(block);
        Assert.Contains("data ends", error);
    }

    [Fact]
    public void DecodeEntry_RoundTripsAndRejectsTrailingBytes()
    {
        var entry = TestChains.Put("ключ-🙂", 5, EntryKind.FileMeta, "nöde");
        var bytes = new byte[BlockCodec.GetEntrySize(entry)];
        BlockCodec.WriteEntry(entry, bytes);

        var decoded = BlockCodec.DecodeEntry(bytes);

        Assert.Equal((entry.Id, entry.Kind, entry.Origin, entry.SubmittedAtUnixMs), (decoded.Id, decoded.Kind, decoded.Origin, decoded.SubmittedAtUnixMs));
        Assert.Equal(entry.Payload.ToArray(), decoded.Payload.ToArray());
        Assert.Throws<ChainFormatException>(() => BlockCodec.DecodeEntry([.. bytes, 0]));
    }

    [Fact]
    public void Encode_EntryCountDisagreeingWithHeader_IsRefused()
    {
        var block = TestChains.Forge(1, Hash256.Zero, [TestChains.Put("a")], declaredCount: 2);

        Assert.Throws<ArgumentException>(() => BlockCodec.EncodeBlock(block));
    }

    [Fact]
    public void Encode_SignatureOverLimit_IsRefused()
    {
        var block = Sample.WithSignature(new byte[BlockCodec.MaxSignatureBytes + 1]);

        Assert.Throws<ArgumentException>(() => BlockCodec.EncodeBlock(block));
    }

    [Fact]
    public void Scanner_AcceptsWhatTheDecoderAccepts_OnTheSample()
    {
        var bytes = BlockCodec.EncodeBlock(Sample);

        Assert.True(EncodedBlockScanner.TryScan(bytes, out var facts));
        Assert.Equal(Sample.Hash, facts.HeaderHash);
        Assert.Equal(Sample.Header.EntriesRoot, facts.ComputedRoot);
        Assert.Equal(-1, facts.DuplicateIdIndex);
    }

    private static void AssertRejectedCheaply(byte[] bytes, string mentioned)
    {
        // A hostile length must be refused before anything of its size is allocated.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ChainFormatException>(() => BlockCodec.DecodeBlock(bytes));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains(mentioned, e.Message);
        Assert.True(allocated < 64 * 1024, $"decoding allocated {allocated} bytes before refusing");
        Assert.False(EncodedBlockScanner.TryScan(bytes, out _));
    }
}
