using ActorChain.Chain;
using ActorChain.Consensus.Node;
using ActorChain.Consensus.Paxos;

namespace ActorChain.Consensus.Tests.Simulation;

/// <summary>
/// Watches every decision and acknowledgement in a simulation and fails at the first broken
/// safety invariant: two hashes at one height, a node's decided block changing, an
/// acknowledgement that names another block than the one decided; <see cref="AssertConverged"/>
/// adds: every acknowledged entry in every chain exactly once, all heads equal.
/// </summary>
internal sealed class SafetyRecorder
{
    private readonly Dictionary<long, Hash256> _decided = [];
    private readonly Dictionary<string, Dictionary<long, Hash256>> _byNode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Height, Hash256 Hash)> _acknowledged = new(StringComparer.Ordinal);

    private readonly Dictionary<(long Height, Ballot Ballot), (Hash256 Hash, HashSet<string> Acceptors)> _accepted = [];
    private readonly Dictionary<long, Hash256> _chosen = [];

    /// <summary>
    /// Voters per height when every height has the same voter set; then a block a quorum accepted is
    /// chosen (even if nobody learned it) and must be the block decided there.
    /// </summary>
    public int? FixedQuorum { get; set; }

    public IReadOnlyDictionary<string, (long Height, Hash256 Hash)> Acknowledged => _acknowledged;

    /// <summary>Heights where a quorum durably accepted one block under one ballot.</summary>
    public int ChosenCount => _chosen.Count;

    public IReadOnlyDictionary<long, Hash256> Decided => _decided;

    public long HighestDecided => _decided.Count == 0 ? 0 : _decided.Keys.Max();

    public int Decisions { get; private set; }

    /// <summary>An acceptor durably accepted the block under the ballot (whether or not its reply ever arrives).</summary>
    public void OnAccepted(string acceptor, long height, Ballot ballot, Hash256 hash)
    {
        if (!_accepted.TryGetValue((height, ballot), out var accepted))
        {
            _accepted[(height, ballot)] = accepted = (hash, new HashSet<string>(StringComparer.Ordinal));
        }
        else if (accepted.Hash != hash)
        {
            // A proposer sends one value per ballot and height (also when phase 1 was pre-run).
            throw new SafetyViolation($"Two blocks accepted under ballot {ballot} at height {height}: {accepted.Hash} and {hash} (at {acceptor}).");
        }

        accepted.Acceptors.Add(acceptor);
        if (FixedQuorum is { } quorum && accepted.Acceptors.Count >= quorum)
        {
            if (_chosen.TryGetValue(height, out var chosen) && chosen != hash)
            {
                throw new SafetyViolation($"Two blocks chosen at height {height}: {chosen} and {hash} (ballot {ballot}).");
            }

            _chosen[height] = hash;
            CheckChosen(height);
        }
    }

    public void OnDecided(string node, Block block)
    {
        Decisions++;
        if (_decided.TryGetValue(block.Height, out var hash) && hash != block.Hash)
        {
            throw new SafetyViolation($"Height {block.Height} decided twice: {hash} and {block.Hash} (at {node}).");
        }

        _decided[block.Height] = block.Hash;
        if (!_byNode.TryGetValue(node, out var mine))
        {
            _byNode[node] = mine = [];
        }

        if (mine.TryGetValue(block.Height, out var before) && before != block.Hash)
        {
            throw new SafetyViolation($"Node {node} changed its decided block {block.Height} from {before} to {block.Hash}.");
        }

        mine[block.Height] = block.Hash;
        CheckChosen(block.Height);
    }

    private void CheckChosen(long height)
    {
        if (_chosen.TryGetValue(height, out var chosen) && _decided.TryGetValue(height, out var decided) && chosen != decided)
        {
            throw new SafetyViolation($"Block {chosen} was chosen at height {height} (a quorum accepted it) but {decided} was decided there.");
        }
    }

    public void OnAcknowledged(string node, ConsensusEffect.EntryCommitted committed)
    {
        if (!_decided.TryGetValue(committed.Height, out var hash) || hash != committed.BlockHash)
        {
            throw new SafetyViolation($"Node {node} acknowledged '{committed.EntryId}' in block {committed.Height} {committed.BlockHash}, which is not the decided block there.");
        }

        if (_acknowledged.TryGetValue(committed.EntryId, out var first) && first != (committed.Height, committed.BlockHash))
        {
            throw new SafetyViolation($"Entry '{committed.EntryId}' acknowledged at {first.Height} and again at {committed.Height}.");
        }

        _acknowledged[committed.EntryId] = (committed.Height, committed.BlockHash);
    }

    /// <summary>Every chain equal, block for block, and every acknowledged entry in it exactly once where it was acknowledged.</summary>
    public void AssertConverged(IReadOnlyCollection<IReadOnlyList<Block>> chains)
    {
        var reference = chains.First();
        foreach (var chain in chains)
        {
            if (chain.Count != reference.Count || chain[^1].Hash != reference[^1].Hash)
            {
                throw new SafetyViolation($"Heads differ: {chain.Count - 1} {chain[^1].Hash} vs {reference.Count - 1} {reference[^1].Hash}.");
            }

            AssertEntries(chain);
        }
    }

    public void AssertEntries(IReadOnlyList<Block> chain)
    {
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var block in chain)
        {
            if (_decided.TryGetValue(block.Height, out var hash) && hash != block.Hash)
            {
                throw new SafetyViolation($"A chain holds {block.Hash} at {block.Height}, but {hash} was decided there.");
            }

            foreach (var entry in block.Entries)
            {
                if (!seen.TryAdd(entry.Id, block.Height))
                {
                    throw new SafetyViolation($"Entry '{entry.Id}' is in the chain twice: blocks {seen[entry.Id]} and {block.Height}.");
                }
            }
        }

        if (chain.Count - 1 < HighestAcknowledgedHeight())
        {
            return;
        }

        foreach (var (id, at) in _acknowledged)
        {
            if (!seen.TryGetValue(id, out var height) || height != at.Height)
            {
                throw new SafetyViolation($"Acknowledged entry '{id}' (block {at.Height}) is missing from the chain of height {chain.Count - 1}.");
            }
        }
    }

    private long HighestAcknowledgedHeight() => _acknowledged.Count == 0 ? 0 : _acknowledged.Values.Max(a => a.Height);
}

internal sealed class SafetyViolation(string message) : Exception(message);
