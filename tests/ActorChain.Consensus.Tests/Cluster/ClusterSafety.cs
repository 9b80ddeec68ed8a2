using ActorChain.Chain;

namespace ActorChain.Consensus.Tests.Cluster;

/// <summary>
/// Records every (node, height, hash) any chain actor made durable, from every thread, and keeps
/// the first violation: two hashes at one height anywhere in the cluster.
/// </summary>
internal sealed class ClusterSafety
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, (Hash256 Hash, string Node)> _decided = [];
    private string? _violation;

    public int Decisions { get; private set; }

    public void OnBlockDurable(string node, Block block)
    {
        lock (_lock)
        {
            Decisions++;
            if (_decided.TryGetValue(block.Height, out var first))
            {
                if (first.Hash != block.Hash)
                {
                    _violation ??= $"Height {block.Height} has two blocks: {first.Hash} at {first.Node} and {block.Hash} at {node}.";
                }

                return;
            }

            _decided[block.Height] = (block.Hash, node);
        }
    }

    public void AssertSafe()
    {
        lock (_lock)
        {
            Assert.True(_violation is null, _violation);
        }
    }
}
