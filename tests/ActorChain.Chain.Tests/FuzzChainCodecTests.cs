using System.Text;
using ActorChain.Chain.Ledger;
using ActorChain.Chain.Tests.Ledger;
using ActorChain.Tests.Fuzz;
using Xunit.Abstractions;

namespace ActorChain.Chain.Tests;

/// <summary>
/// The chain's decoders under random and mutated input: blocks (decoder, scanner, verifier), entries,
/// the genesis payload, every ledger payload kind and the ledger snapshot. Each may only refuse with
/// <see cref="ChainFormatException"/> (the Try and Verify forms refuse with a result, never a throw),
/// never allocate more than max-frame-size, and always return. FuzzEngine.cs links the shared engine.
/// </summary>
public sealed class FuzzChainCodecTests(ITestOutputHelper output)
{
    private const int NormalCases = 3000;

    [Fact]
    public async Task ChainDecoders_OnMutatedInput_OnlyThrowChainFormatException_AndStayWithinTheFrameLimit()
    {
        var report = await FuzzEngine.RunAsync(Targets(), FuzzEngine.Cases(NormalCases));

        output.WriteLine(report.ToString());
        Assert.True(report.Rejected > 0, "no mutated input was refused: the mutations reach nothing");
    }

    private static IEnumerable<FuzzTarget> Targets()
    {
        var blocks = SeedBlocks();
        var encodedBlocks = blocks.Select(BlockCodec.EncodeBlock).ToArray();
        var genesis = blocks[0];
        yield return new FuzzTarget("block", encodedBlocks, static input => BlockCodec.DecodeBlock(input), IsChainFormat);
        yield return new FuzzTarget("block (try-decode)", encodedBlocks, static input =>
        {
            if (!BlockCodec.TryDecodeBlock(input, out var block, out var error) && (block is not null || error is null))
            {
                throw new InvalidOperationException("a refused block came back without an error, or with a block");
            }
        }, Never);
        yield return new FuzzTarget("block (encoded scanner)", encodedBlocks, static input => EncodedBlockScanner.TryScan(input, out _), Never);
        yield return new FuzzTarget("chain verify (encoded)", encodedBlocks, input =>
        {
            var copy = input.ToArray();
            _ = ChainVerifier.VerifyEncodedFrom(genesis.Height, genesis.Hash, [copy]);
            _ = ChainVerifier.VerifyEncoded([copy]);
        }, Never);
        yield return new FuzzTarget("entry", [.. blocks.SelectMany(static b => b.Entries).Select(EncodeEntry)], static input => BlockCodec.DecodeEntry(input), IsChainFormat);
        yield return new FuzzTarget(
            "genesis payload",
            [new GenesisPayload("demo", ["n1"]).Encode(), new GenesisPayload("ünïcode-cluster", ["a", "b", "c", "d"]).Encode()],
            static input => GenesisPayload.Decode(input),
            IsChainFormat);
        foreach (var group in Payloads().GroupBy(static p => p.Kind))
        {
            var kind = group.Key;
            yield return new FuzzTarget(
                $"payload {kind}",
                [.. group.Select(static p => p.Bytes)],
                input => LedgerGenerators.Decode(kind, input),
                IsChainFormat);
        }

        var ledger = new LedgerTestChain("node-a", "node-b");
        foreach (var block in blocks.Skip(1))
        {
            ledger.Append([.. block.Entries]);
        }

        yield return new FuzzTarget("ledger snapshot", [LedgerSnapshot.Encode(ledger.Ledger)], static input => LedgerSnapshot.Decode(input), IsChainFormat);
    }

    private static bool IsChainFormat(Exception ex) => ex is ChainFormatException;

    private static bool Never(Exception ex) => false;

    private static byte[] EncodeEntry(Entry entry)
    {
        var bytes = new byte[BlockCodec.GetEntrySize(entry)];
        BlockCodec.WriteEntry(entry, bytes);
        return bytes;
    }

    private static List<Block> SeedBlocks()
    {
        var chain = new LedgerTestChain("node-a", "node-b");
        var entries = Payloads().Select((p, i) => TestEntries.Make($"e{i}", p.Kind, p.Bytes)).ToArray();
        var full = chain.Next(entries);
        var signed = chain.Next(TestEntries.Put("p1", "key", "value")).WithSignature(Enumerable.Range(0, 64).Select(static i => (byte)i).ToArray());
        var empty = chain.Next();
        return [chain.Blocks[0], full, signed, empty];
    }

    private static IEnumerable<(EntryKind Kind, byte[] Bytes)> Payloads()
    {
        yield return (EntryKind.KvPut, new KvPutPayload("key", "value"u8.ToArray()).Encode());
        yield return (EntryKind.KvPut, new KvPutPayload("ключ/😀", new byte[300]).Encode());
        yield return (EntryKind.KvDelete, new KvDeletePayload("key").Encode());
        yield return (EntryKind.FileAdd, TestEntries.Photo(
            "photo-1",
            takenAt: 1_600_000_000_000,
            location: new GeoPoint(59.9, 10.7),
            tags: ["beach", "family"],
            fields:
            [
                new("album", FieldValue.String("summer")),
                new("rating", FieldValue.Number(4.5)),
                new("shot", FieldValue.Date(1_600_000_000_000)),
                new("where", FieldValue.Geo(1.5, -2.5)),
                new("people", FieldValue.Tags(["alice", "bob"])),
            ]).Encode());
        yield return (EntryKind.FileAdd, new FileAddPayload("doc.txt", Hash256.Compute("x"u8), 1, "doc.txt", "text/plain", null, null, null).Encode());
        yield return (EntryKind.FileMeta, new FileMetaPayload(
            "photo-1", addTags: ["cat"], removeTags: ["dog"], setFields: [new("album", FieldValue.String("winter"))], clearFields: ["rating"]).Encode());
        yield return (EntryKind.FileDelete, new FileDeletePayload("photo-1").Encode());
        yield return (EntryKind.FieldDefine, new FieldDefinePayload("album", FieldType.String).Encode());
        yield return (EntryKind.FieldDefine, new FieldDefinePayload("where", FieldType.Geo).Encode());
        yield return (EntryKind.TaskClaim, new TaskClaimPayload("task-" + new string('x', 100), "node-a").Encode());
        yield return (EntryKind.VoterAdd, new VoterAddPayload("node-c").Encode());
        yield return (EntryKind.VoterRemove, new VoterRemovePayload("node-b").Encode());
        yield return (EntryKind.KvPut, new KvPutPayload(Encoding.UTF8.GetString(new byte[] { 0xC3, 0xA9 }), Array.Empty<byte>()).Encode());
    }
}
