using ActorChain.Chain;

namespace ActorChain.Persistence;

/// <summary>What every block store checks before it appends: the rule is one, whichever backend holds the blocks.</summary>
internal static class AppendRules
{
    /// <summary>
    /// Null when <paramref name="blocks"/> continue the store's chain at <paramref name="next"/> after
    /// <paramref name="previous"/>; otherwise the refusal, naming the first block that does not.
    /// </summary>
    public static Exception? CheckContinues(IReadOnlyList<Block> blocks, long next, Hash256 previous)
    {
        foreach (var block in blocks)
        {
            if (block.Height != next)
            {
                return new InvalidOperationException($"Block {block.Height} cannot be appended: the journal's next height is {next}.");
            }

            var expected = next == 0 ? Hash256.Zero : previous;
            if (block.PrevHash != expected)
            {
                return new InvalidOperationException(
                    $"Block {block.Height} links to {block.PrevHash}, not to the journal's block {next - 1} ({expected}).");
            }

            // The header hash is cheap; the Merkle root is the caller's (consensus verified the block before deciding it).
            if (block.Header.ComputeHash() != block.Hash)
            {
                return new InvalidOperationException($"Block {block.Height} claims hash {block.Hash} but its header hashes to {block.Header.ComputeHash()}.");
            }

            next++;
            previous = block.Hash;
        }

        return null;
    }
}
