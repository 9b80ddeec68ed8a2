using FsCheck;
using FsCheck.Fluent;

namespace ActorChain.Chain.Tests;

/// <summary>FsCheck generators for entries, blocks and valid chains, with multi-byte UTF-8 text and odd sizes.</summary>
internal static class ChainGenerators
{
    private static readonly string[] TextParts = ["a", "kv", "é", "日本", "🙂", "x-y", "photo/2024", "Z", "ß"];

    private static readonly EntryKind[] LedgerKinds = [.. Enum.GetValues<EntryKind>().Where(k => k != EntryKind.Genesis)];

    public static Gen<long> Int64 =>
        Gen.Choose(int.MinValue, int.MaxValue).Zip(Gen.Choose(int.MinValue, int.MaxValue), (hi, lo) => ((long)hi << 32) | (uint)lo);

    // At most 6 parts of at most 10 UTF-8 bytes: within the 64-byte node id limit.
    public static Gen<string> Text => Gen.Elements(TextParts).NonEmptyListOf().Select(parts => string.Concat(parts.Take(6)));

    public static Gen<byte[]> Bytes(int maxLength) =>
        Gen.Choose(0, maxLength).Zip(Gen.Choose(0, int.MaxValue), (length, seed) =>
        {
            var bytes = new byte[length];
            new Random(seed).NextBytes(bytes);
            return bytes;
        });

    public static Gen<Hash256> Hash => Bytes(0).Zip(Gen.Choose(0, int.MaxValue), (_, seed) =>
    {
        var bytes = new byte[Hash256.Size];
        new Random(seed).NextBytes(bytes);
        return new Hash256(bytes);
    });

    /// <summary>An entry whose id ends with <paramref name="idSuffix"/>, so entries of one block can be kept distinct.</summary>
    public static Gen<Entry> Entry(string idSuffix) =>
        from kind in Gen.Elements(LedgerKinds)
        from id in Text
        from origin in Text
        from submittedAt in Int64
        from payload in Bytes(300)
        select new Entry(id + idSuffix, kind, payload, origin, submittedAt);

    public static Gen<Entry> AnyEntry => Entry(string.Empty);

    /// <summary>Up to <paramref name="max"/> entries with distinct ids.</summary>
    public static Gen<Entry[]> Entries(int max) =>
        Gen.Choose(0, max).SelectMany(count => Gen.CollectToArray(Enumerable.Range(0, count).Select(i => Entry("#" + i))));

    public static Gen<Block> AnyBlock =>
        from height in Gen.Choose(0, int.MaxValue)
        from prevHash in Hash
        from timestamp in Int64
        from proposer in Text
        from entries in Entries(6)
        from signature in Bytes(72)
        select Block.Create(height, prevHash, timestamp, proposer, entries).WithSignature(signature);

    /// <summary>A valid chain: a random genesis and up to <paramref name="maxBlocks"/> linked blocks, all unsigned.</summary>
    public static Gen<List<Block>> Chain(int maxBlocks) =>
        from clusterId in Text
        from voters in Text.NonEmptyListOf()
        from genesisTime in Int64
        from bodies in Gen.Zip(Entries(5), Text).ListOf().Select(l => l.Take(maxBlocks).ToList())
        from times in Int64.ArrayOf(maxBlocks)
        select BuildChain(clusterId, voters, genesisTime, bodies, times);

    private static List<Block> BuildChain(
        string clusterId, IEnumerable<string> voters, long genesisTime, List<(Entry[] Entries, string Proposer)> bodies, long[] times)
    {
        var chain = new List<Block> { GenesisPayload.CreateGenesisBlock(clusterId, [.. voters.Distinct().Take(5)], genesisTime) };
        for (var i = 0; i < bodies.Count; i++)
        {
            var previous = chain[^1];
            chain.Add(Block.Create(previous.Height + 1, previous.Hash, times[i], bodies[i].Proposer, bodies[i].Entries));
        }

        return chain;
    }

    public static byte[] EncodeEntry(Entry entry)
    {
        var bytes = new byte[BlockCodec.GetEntrySize(entry)];
        BlockCodec.WriteEntry(entry, bytes);
        return bytes;
    }
}
