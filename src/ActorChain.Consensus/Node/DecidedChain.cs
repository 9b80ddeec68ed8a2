using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using ActorChain.Chain.Signing;
using ActorChain.Consensus.Paxos;

namespace ActorChain.Consensus.Node;

/// <summary>
/// The decided blocks in height order and the ledger they produce: the learner's state. Blocks are
/// kept in memory from the height the chain started at; with a reader of older blocks (the journal),
/// only the most recent ones stay in memory, once journaled, and older heights are read back on demand.
/// </summary>
internal sealed class DecidedChain : IDecidedChainView
{
    private readonly List<Block> _blocks = [];
    private readonly Func<long, Block?>? _readOlder;
    private readonly int _keepRecent;
    private long _firstHeight;
    private long _durableThrough = -1;

    public DecidedChain(Block genesis)
        : this(genesis, readOlder: null, keepRecent: 0)
    {
    }

    private DecidedChain(Block genesis, Func<long, Block?>? readOlder, int keepRecent)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        var check = ChainVerifier.VerifyGenesis(genesis);
        if (!check.IsValid)
        {
            throw new ArgumentException($"Not a genesis block: {check.Reason}", nameof(genesis));
        }

        Ledger = new LedgerState();
        Ledger.Apply(genesis);
        _blocks.Add(genesis);
        _readOlder = readOlder;
        _keepRecent = keepRecent;
    }

    private DecidedChain(LedgerState ledger, Block head, Func<long, Block?>? readOlder, int keepRecent)
    {
        if (ledger.Height != head.Height || ledger.HeadHash != head.Hash)
        {
            throw new ArgumentException(
                $"The ledger is at block {ledger.Height} ({ledger.HeadHash}) but the chain's first block is {head.Height} ({head.Hash}).", nameof(head));
        }

        Ledger = ledger;
        _blocks.Add(head);
        _firstHeight = head.Height;
        _readOlder = readOlder;
        _keepRecent = keepRecent;
    }

    public LedgerState Ledger { get; }

    public long Head => Ledger.Height;

    public Block HeadBlock => _blocks[^1];

    /// <summary>The lowest height still held in memory.</summary>
    public long FirstHeightInMemory => _firstHeight;

    public VoterKeyHistory? VoterKeys => Ledger.VoterKeys;

    /// <summary>
    /// The chain a store loaded: from genesis (every block checked and applied), or, when the store gives
    /// the ledger at its first block (a snapshot plus the journal), from that block on.
    /// </summary>
    /// <exception cref="ArgumentException">The blocks do not start with genesis or the ledger's head, or one does not follow the one before.</exception>
    public static DecidedChain Restore(IReadOnlyList<Block> blocks, LedgerState? ledger = null, Func<long, Block?>? readOlder = null, int keepRecent = 0)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (blocks.Count == 0)
        {
            throw new ArgumentException("A node starts from at least the genesis block.", nameof(blocks));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(keepRecent);
        var chain = ledger is null ? new DecidedChain(blocks[0], readOlder, keepRecent) : new DecidedChain(ledger, blocks[0], readOlder, keepRecent);
        chain.MarkDurable(blocks[^1].Height);
        for (var i = 1; i < blocks.Count; i++)
        {
            if (chain.CheckNext(blocks[i]) is { } reason)
            {
                throw new ArgumentException($"The journaled chain is broken: {reason}", nameof(blocks));
            }

            chain.Append(blocks[i]);
        }

        return chain;
    }

    public bool TryGetHash(long height, out Hash256 hash) => Ledger.TryGetBlockHash(height, out hash);

    public bool TryGetBlock(long height, out Block block)
    {
        if (height >= _firstHeight && height <= Head)
        {
            block = _blocks[(int)(height - _firstHeight)];
            return true;
        }

        if (height >= 0 && height < _firstHeight && _readOlder?.Invoke(height) is { } older && older.Height == height)
        {
            block = older;
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

    /// <summary>The highest height known to be in the journal (<see cref="MarkDurable"/>).</summary>
    public long DurableThrough => _durableThrough;

    /// <summary>
    /// Says the blocks up to <paramref name="height"/> are in the store the reader of older blocks reads
    /// (the journal): only those may leave memory. The blocks a chain was restored from already are.
    /// </summary>
    public void MarkDurable(long height) => _durableThrough = Math.Max(_durableThrough, height);

    /// <summary>Appends a block <see cref="CheckNext"/> accepted.</summary>
    public LedgerApplyResult Append(Block block)
    {
        var result = Ledger.Apply(block);
        _blocks.Add(block);

        // Dropped in halves so the copy is paid once per keepRecent blocks, not per block. A block not yet
        // in the journal stays: the reader could not bring it back.
        if (_readOlder is not null && _keepRecent > 0 && _blocks.Count >= 2 * _keepRecent)
        {
            var drop = (int)Math.Min(_blocks.Count - _keepRecent, _durableThrough - _firstHeight + 1);
            if (drop > 0)
            {
                _blocks.RemoveRange(0, drop);
                _firstHeight += drop;
            }
        }

        return result;
    }
}
