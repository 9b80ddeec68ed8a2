using ActorChain.Chain;
using BenchmarkDotNet.Attributes;

namespace ActorChain.Benchmarks.Chain;

/// <summary>The header hash every block check starts with: one SHA-256 of ~120 bytes.</summary>
[MemoryDiagnoser]
public class BlockHashBenchmarks
{
    private readonly BlockHeader _header = ChainData.Chain(1, 10, 16)[1].Header;

    [Benchmark]
    public Hash256 HeaderHash() => _header.ComputeHash();
}

/// <summary>Merkle root of one block's entries, from entry objects.</summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class MerkleRootBenchmarks : IThroughputBenchmark
{
    private Entry[] _entries = [];

    [Params(1000)]
    public int Entries { get; set; }

    [Params(256)]
    public int PayloadBytes { get; set; }

    [GlobalSetup]
    public void Setup() => _entries = ChainData.Entries(1, Entries, PayloadBytes);

    [Benchmark]
    public Hash256 MerkleRoot() => MerkleTree.ComputeRoot(_entries);

    public long BytesPerOperation(string method)
    {
        Setup();
        return _entries.Sum(e => (long)BlockCodec.GetEntrySize(e));
    }
}

/// <summary>
/// Full verification of a chain (genesis + <see cref="Blocks"/> blocks), from encoded bytes (the
/// journal / catch-up path, the 1 GB/s goal) and from decoded blocks.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class ChainVerificationBenchmarks : IThroughputBenchmark
{
    private List<Block> _chain = [];
    private ReadOnlyMemory<byte>[] _encoded = [];

    [Params(16)]
    public int Blocks { get; set; }

    [Params(1000)]
    public int EntriesPerBlock { get; set; }

    [Params(256)]
    public int PayloadBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _chain = ChainData.Chain(Blocks, EntriesPerBlock, PayloadBytes);
        _encoded = [.. _chain.Select(b => (ReadOnlyMemory<byte>)BlockCodec.EncodeBlock(b))];
        if (!ChainVerifier.VerifyEncoded(_encoded).IsValid || !ChainVerifier.Verify(_chain).IsValid)
        {
            throw new InvalidOperationException("The benchmark chain does not verify.");
        }
    }

    [Benchmark(Baseline = true)]
    public bool VerifyEncoded() => ChainVerifier.VerifyEncoded(_encoded).IsValid;

    [Benchmark]
    public bool VerifyBlocks() => ChainVerifier.Verify(_chain).IsValid;

    public long BytesPerOperation(string method)
    {
        Setup();
        return _encoded.Sum(b => (long)b.Length);
    }
}

/// <summary>Decoding one block into objects, for comparison with verifying it on its bytes.</summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class BlockDecodeBenchmarks : IThroughputBenchmark
{
    private byte[] _encoded = [];

    [Params(1000)]
    public int Entries { get; set; }

    [Params(256)]
    public int PayloadBytes { get; set; }

    [GlobalSetup]
    public void Setup() => _encoded = BlockCodec.EncodeBlock(ChainData.Chain(1, Entries, PayloadBytes)[1]);

    [Benchmark]
    public Block Decode() => BlockCodec.DecodeBlock(_encoded);

    public long BytesPerOperation(string method)
    {
        Setup();
        return _encoded.Length;
    }
}
