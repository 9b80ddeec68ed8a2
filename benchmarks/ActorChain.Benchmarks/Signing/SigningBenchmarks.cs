using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using ActorChain.Chain.Signing;
using BenchmarkDotNet.Attributes;

namespace ActorChain.Benchmarks.Signing;

/// <summary>
/// What signed blocks cost per block: a proposer signs once, every acceptor and learner verifies
/// once. Goal (quiet machine): sign + verify well under 1 ms, small beside a block's fsync and
/// round trip, and the same whatever the block's size (only the 32-byte hash is signed).
/// </summary>
[MemoryDiagnoser]
public class SigningBenchmarks
{
    private BlockSigner _signer = null!;
    private VoterKeyHistory _keys = null!;
    private Block _previous = null!;
    private Block _unsigned = null!;
    private Block _signed = null!;

    [GlobalSetup]
    public void Setup()
    {
        _signer = BlockSigner.Generate();
        var genesis = GenesisPayload.CreateGenesisBlock("bench", ["n1"], 0, new Dictionary<string, VoterKey> { ["n1"] = _signer.PublicKey });
        var entries = Enumerable.Range(0, 100)
            .Select(i => new Entry($"e{i}", EntryKind.KvPut, new KvPutPayload($"key-{i}", new byte[100]).Encode(), "n1", 0))
            .ToArray();
        _previous = genesis;
        _unsigned = Block.Create(1, genesis.Hash, 1, "n1", entries);
        _signed = _signer.Sign(_unsigned);
        var ledger = new LedgerState();
        ledger.Apply(genesis);
        _keys = ledger.VoterKeys!;
    }

    [GlobalCleanup]
    public void Cleanup() => _signer.Dispose();

    /// <summary>The proposer's cost: ECDSA P-256 over the block hash.</summary>
    [Benchmark]
    public byte[] Sign() => _signer.Sign(_unsigned.Hash);

    /// <summary>An acceptor's or learner's extra cost: one ECDSA P-256 verification.</summary>
    [Benchmark]
    public bool Verify() => _signer.PublicKey.Verify(_signed.Hash, _signed.Signature.Span);

    /// <summary>Sign and verify of one block: what signing adds per block on a proposer that is also an acceptor.</summary>
    [Benchmark]
    public bool SignAndVerify() => _signer.PublicKey.Verify(_unsigned.Hash, _signer.Sign(_unsigned.Hash));

    /// <summary>The acceptor's whole check of a 100-entry block without keys (hash, link, Merkle root): the baseline.</summary>
    [Benchmark(Baseline = true)]
    public bool VerifyNextUnsigned() => ChainVerifier.VerifyNext(_previous, _unsigned).IsValid;

    /// <summary>The same check with the signature: the difference to the baseline is what signed blocks add.</summary>
    [Benchmark]
    public bool VerifyNextSigned() => ChainVerifier.VerifyNext(_previous, _signed, _keys).IsValid;
}
