using ActorChain.Chain;
using ActorChain.Consensus.Paxos;

namespace ActorChain.Consensus.Tests.Paxos;

internal sealed class FakeChain(IReadOnlyList<Block> blocks) : IDecidedChainView
{
    public long Head => blocks.Count - 1;

    public bool TryGetHash(long height, out Hash256 hash)
    {
        var found = TryGetBlock(height, out var block);
        hash = found ? block.Hash : default;
        return found;
    }

    public bool TryGetBlock(long height, out Block block)
    {
        if (height >= 0 && height < blocks.Count)
        {
            block = blocks[(int)height];
            return true;
        }

        block = null!;
        return false;
    }
}
