using ActorChain.Chain;
using static ActorChain.Consensus.Node.ConsensusProtocol;

namespace ActorChain.Consensus.Node;

internal sealed partial class ConsensusNode
{
    private readonly SortedDictionary<long, Block> _buffered = [];
    private string? _catchUpPeer;
    private long _catchUpDeadline;
    private long _nextStatusAt;

    /// <summary>Blocks decided above the head, waiting for the gap to fill.</summary>
    public int BufferedCount => _buffered.Count;

    /// <summary>A decided block from anyone: append it in order, buffer it when early, fetch the gap.</summary>
    private void Learn(Block block, string from)
    {
        var head = _chain.Head;
        if (block.Height <= head)
        {
            return;
        }

        if (block.Height > head + 1)
        {
            if (_buffered.Count < _options.MaxBufferedBlocks)
            {
                _buffered.TryAdd(block.Height, block);
            }

            RequestCatchUp(from);
            return;
        }

        if (!TryAppend(block))
        {
            return;
        }

        while (_buffered.Remove(_chain.Head + 1, out var next) && TryAppend(next))
        {
        }

        foreach (var stale in _buffered.Keys.Where(h => h <= _chain.Head).ToList())
        {
            _buffered.Remove(stale);
        }
    }

    // Crash-fault model: a decided block from a peer is trusted once it links to our head.
    private bool TryAppend(Block block)
    {
        if (_chain.CheckNext(block) is not null)
        {
            return false;
        }

        var applied = _chain.Append(block);
        _acceptor.Prune(_chain.Head);
        _lastProgressAt = _now;
        _effects.Add(new ConsensusEffect.AppendBlock(block, applied));

        var ids = new string[block.Entries.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = block.Entries[i].Id;
        }

        _mempool.Remove(ids);
        foreach (var id in ids)
        {
            if (_waiting.Remove(id) && _chain.Ledger.TryGetEntryRecord(id, out var record))
            {
                _effects.Add(new ConsensusEffect.EntryCommitted(id, record.Height, record.BlockHash, record.Status, record.Reason));
            }
        }

        AbandonObsoleteAttempt();
        return true;
    }

    private void RequestCatchUp(string peer)
    {
        if (string.Equals(peer, NodeId, StringComparison.Ordinal) || (_catchUpPeer is not null && _now < _catchUpDeadline))
        {
            return;
        }

        _catchUpPeer = peer;
        _catchUpDeadline = _now + _options.CatchUpTimeoutMs;
        Send(peer, new CatchUpRequest(_chain.Head + 1, _options.CatchUpBatchBlocks));
    }

    private void OnCatchUpRequest(string from, CatchUpRequest request)
    {
        var blocks = new List<Block>();
        var max = Math.Clamp(request.MaxBlocks, 0, _options.CatchUpBatchBlocks);
        for (var height = Math.Max(request.FromHeight, 1); blocks.Count < max && _chain.TryGetBlock(height, out var block); height++)
        {
            blocks.Add(block);
        }

        Send(from, new CatchUpBlocks(request.FromHeight, blocks, _chain.Head));
    }

    private void OnCatchUpBlocks(string from, CatchUpBlocks reply)
    {
        if (string.Equals(_catchUpPeer, from, StringComparison.Ordinal))
        {
            _catchUpPeer = null;
        }

        // Every link is checked by TryAppend before the block joins the chain; the first bad one stops the batch.
        foreach (var block in reply.Blocks)
        {
            if (block.Height <= _chain.Head)
            {
                continue;
            }

            if (block.Height != _chain.Head + 1 || !TryAppend(block))
            {
                break;
            }
        }

        while (_buffered.Remove(_chain.Head + 1, out var next) && TryAppend(next))
        {
        }

        if (reply.SenderHead > _chain.Head && reply.Blocks.Count > 0)
        {
            RequestCatchUp(from);
        }
    }
}
