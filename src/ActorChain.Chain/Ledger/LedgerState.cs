using System.Runtime.InteropServices;
using ActorChain.Chain.Signing;

namespace ActorChain.Chain.Ledger;

/// <summary>
/// The ledger state machine (DESIGN.md §3): replaying the same blocks gives every node the same
/// state. Pure and single-threaded: the owner (the chain actor) applies blocks and answers
/// queries; it is not safe to read while another thread applies.
/// </summary>
/// <remarks>
/// Rules: an entry id already in the chain (applied, rejected or lost) is a duplicate and
/// skipped. An entry that breaks a rule is recorded as rejected with a reason and changes
/// nothing; <see cref="Apply"/> never throws for entry content. At most one voter change
/// (voter.add or voter.remove) is applied per block, a later one in the same block is
/// rejected, and <see cref="Voters"/> after block h is the voter set that decides height h+1:
/// so consecutive voter sets differ by one node and their quorums intersect. Block 0 must
/// start with the genesis entry; further entries in block 0 are applied like any other.
/// A kv.put value is a slice of the entry's (immutable) payload, not a copy.
/// </remarks>
public sealed partial class LedgerState
{
    // Every entry id in the chain, in apply order; _entries maps an id to its place there. Both logs only grow, so a
    // snapshot captures them in constant time (LedgerSnapshot.Capture) however long the chain is.
    private readonly AppendOnlyLog<EntryLogItem> _entryLog = new();
    private readonly Dictionary<string, int> _entries = new(StringComparer.Ordinal);
    private readonly AppendOnlyLog<Hash256> _blockHashes = new();
    private readonly Dictionary<string, KvRecord> _kv = new(StringComparer.Ordinal);
    private readonly FileCatalog _files = new();
    private readonly SortedDictionary<string, FieldType> _fields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskRecord> _tasks = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _voters = new(StringComparer.Ordinal);
    private string[] _voterList = [];
    private bool _voterChangedInBlock;

    // Only in a chain with signed blocks (a version-2 genesis); part of snapshots (version 2) but not
    // of the state digest, which predates signed blocks. Always the keys of the last VoterKeys era.
    private readonly Dictionary<string, VoterKey> _voterKeys = new(StringComparer.Ordinal);

    /// <summary>The height of the last applied block; -1 before genesis.</summary>
    public long Height { get; private set; } = -1;

    public Hash256 HeadHash { get; private set; }

    /// <summary>Null until the genesis block is applied.</summary>
    public string? ClusterId { get; private set; }

    /// <summary>The current voters in ordinal order: the voter set for height <see cref="Height"/> + 1.</summary>
    public IReadOnlyList<string> Voters => _voterList;

    public int KeyCount => _kv.Count;

    public int FileCount => _files.Count;

    /// <summary>Entry ids in the chain (applied, rejected or lost).</summary>
    public int EntryCount => _entries.Count;

    /// <summary>Defined fields by name (ordinal order).</summary>
    public IReadOnlyDictionary<string, FieldType> Fields => _fields;

    /// <summary>Every file, in no particular order (tests compare searches against it).</summary>
    internal IEnumerable<FileRecord> AllFiles => _files.Files;

    public bool IsVoter(string nodeId) => _voters.Contains(nodeId);

    /// <summary>
    /// The voters' public keys by height when the chain's blocks are signed (its genesis carries
    /// keys); null otherwise. Snapshots of version 2 keep it; one restored from version 1 has none.
    /// </summary>
    public VoterKeyHistory? VoterKeys { get; private set; }

    public bool TryGetValue(string key, out ReadOnlyMemory<byte> value)
    {
        if (_kv.TryGetValue(key, out var record))
        {
            value = record.Value;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>The value with the height and entry id that last wrote it.</summary>
    public bool TryGetKey(string key, out KvRecord record) => _kv.TryGetValue(key, out record);

    public bool TryGetFile(string fileId, out FileRecord file) => _files.TryGet(fileId, out file);

    public bool TryGetField(string name, out FieldType type) => _fields.TryGetValue(name, out type);

    /// <summary>The first claim of the task in chain order; every node and every caller sees the same one.</summary>
    public bool TryGetTaskWinner(string taskId, out TaskClaim winner)
    {
        if (_tasks.TryGetValue(taskId, out var task))
        {
            winner = task.Winner;
            return true;
        }

        winner = null!;
        return false;
    }

    /// <summary>The later claims of the task, in chain order; empty when there are none.</summary>
    public IReadOnlyList<TaskClaim> GetLostClaims(string taskId) =>
        _tasks.TryGetValue(taskId, out var task) ? task.Lost : [];

    /// <summary>Where the entry id first entered the chain: lets consensus answer an idempotent retry.</summary>
    public bool TryGetEntryLocation(string entryId, out (long Height, Hash256 BlockHash) location)
    {
        if (_entries.TryGetValue(entryId, out var index))
        {
            var entry = _entryLog[index];
            location = (entry.Height, _blockHashes[(int)entry.Height]);
            return true;
        }

        location = default;
        return false;
    }

    public bool TryGetEntryRecord(string entryId, out EntryRecord record)
    {
        if (_entries.TryGetValue(entryId, out var index))
        {
            var entry = _entryLog[index];
            record = new EntryRecord(entry.Height, _blockHashes[(int)entry.Height], entry.Status, entry.Reason);
            return true;
        }

        record = default;
        return false;
    }

    public bool TryGetBlockHash(long height, out Hash256 hash)
    {
        if (height >= 0 && height < _blockHashes.Count)
        {
            hash = _blockHashes[(int)height];
            return true;
        }

        hash = default;
        return false;
    }

    /// <exception cref="ArgumentException">The query is out of bounds (<see cref="FileQuery.Validate"/>).</exception>
    public FileSearchResult Search(FileQuery query) => _files.Search(query);

    /// <summary>
    /// Applies the next block's entries in order and reports each entry's outcome. Bad entries are
    /// rejected, never thrown.
    /// </summary>
    /// <exception cref="InvalidOperationException">The block is not at <see cref="Height"/> + 1 or does not link to <see cref="HeadHash"/>: a caller bug.</exception>
    /// <exception cref="ArgumentException">Block 0 does not start with a valid genesis entry.</exception>
    public LedgerApplyResult Apply(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (block.Height != Height + 1)
        {
            throw new InvalidOperationException(
                $"Block {block.Height} cannot be applied to a ledger at height {Height}: the next block must be {Height + 1}.");
        }

        if (block.Height > 0 && block.PrevHash != HeadHash)
        {
            throw new InvalidOperationException(
                $"Block {block.Height} links to {block.PrevHash}, not to the ledger's head {HeadHash} at height {Height}.");
        }

        if (block.Height == 0)
        {
            RequireGenesis(block);
        }

        Height = block.Height;
        HeadHash = block.Hash;
        _blockHashes.Add(block.Hash);
        _voterChangedInBlock = false;
        var entries = block.Entries;
        var outcomes = new EntryOutcome[entries.Count];
        for (var i = 0; i < outcomes.Length; i++)
        {
            outcomes[i] = ApplyEntry(entries[i]);
        }

        return new LedgerApplyResult(block.Height, block.Hash, outcomes);
    }

    private static void RequireGenesis(Block block)
    {
        if (block.Entries.Count == 0 || block.Entries[0].Kind != EntryKind.Genesis)
        {
            throw new ArgumentException("Block 0 must start with the genesis entry: without it there is no cluster id and no voter.", nameof(block));
        }

        try
        {
            GenesisPayload.Decode(block.Entries[0].Payload.Span);
        }
        catch (ChainFormatException e)
        {
            throw new ArgumentException($"Block 0's genesis entry is malformed: {e.Message}", nameof(block), e);
        }
    }

    private EntryOutcome ApplyEntry(Entry entry)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, entry.Id, out var exists);
        if (exists)
        {
            return new EntryOutcome(entry.Id, entry.Kind, EntryStatus.Duplicate, $"entry id already in the chain at height {_entryLog[slot].Height}");
        }

        EntryStatus status;
        string? reason;
        try
        {
            status = Dispatch(entry, out reason);
        }
        catch (ChainFormatException e)
        {
            (status, reason) = (EntryStatus.Rejected, e.Message);
        }

        // Dispatch never touches _entries, so the slot reference is still valid here.
        slot = _entryLog.Count;
        _entryLog.Add(new EntryLogItem(entry.Id, Height, status, reason));
        return new EntryOutcome(entry.Id, entry.Kind, status, reason);
    }

    internal readonly record struct EntryLogItem(string Id, long Height, EntryStatus Status, string? Reason);

    private sealed class TaskRecord(TaskClaim winner)
    {
        public TaskClaim Winner { get; } = winner;

        public List<TaskClaim> Lost { get; } = [];
    }
}
