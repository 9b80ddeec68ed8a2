using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using ActorChain.Chain.Signing;
using ActorChain.Consensus.Paxos;

namespace ActorChain.Consensus.Node;

/// <summary>The decided blocks in height order and the ledger they produce: the learner's state.</summary>
internal sealed class DecidedChain : IDecidedChainView
{
    private readonly List<Block> _blocks = [];

    public DecidedChain(Block genesis)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        var check = ChainVerifier.VerifyGenesis(genesis);
        if (!check.IsValid)
        {
            throw new ArgumentException($"Not a genesis block: {check.Reason}", nameof(genesis));
        }

        Ledger.Apply(genesis);
        _blocks.Add(genesis);
    }

    public LedgerState Ledger { get; } = new();

    public long Head => Ledger.Height;

    public Block HeadBlock => _blocks[^1];

    public IReadOnlyList<Block> Blocks => _blocks;

    public VoterKeyHistory? VoterKeys => Ledger.VoterKeys;

    public bool TryGetHash(long height, out Hash256 hash) => Ledger.TryGetBlockHash(height, out hash);

    public bool TryGetBlock(long height, out Block block)
    {
        if (height >= 0 && height < _blocks.Count)
        {
            block = _blocks[(int)height];
            return true;
        }

        block = null!;
        return false;
    }

    /// <summary>Checks that the block follows the head; null when it does, otherwise why not.</summary>
    public string? CheckNext(Block block)
    {
        var result = ChainVerifier.VerifyNext(HeadBlock, block, Ledger.VoterKeys);
        return result.IsValid ? null : result.Reason;
    }

    /// <summary>Appends a block <see cref="CheckNext"/> accepted.</summary>
    public LedgerApplyResult Append(Block block)
    {
        var result = Ledger.Apply(block);
        _blocks.Add(block);
        return result;
    }
}
