using System.Text;
using ActorChain.Chain.Ledger;

namespace ActorChain.Chain.Tests.Ledger;

/// <summary>Builds linked blocks over a genesis and applies them to a ledger, remembering every block for replays.</summary>
internal sealed class LedgerTestChain
{
    public const string ClusterId = "test-cluster";

    public LedgerTestChain(params string[] voters)
    {
        var genesis = GenesisPayload.CreateGenesisBlock(ClusterId, voters.Length == 0 ? ["node-a", "node-b", "node-c"] : voters, 1_000);
        Blocks.Add(genesis);
        Ledger.Apply(genesis);
    }

    public LedgerState Ledger { get; } = new();

    public List<Block> Blocks { get; } = [];

    public Block Next(params Entry[] entries)
    {
        var previous = Blocks[^1];
        return Block.Create(previous.Height + 1, previous.Hash, 1_000 + previous.Height + 1, "node-a", entries);
    }

    public LedgerApplyResult Append(params Entry[] entries)
    {
        var block = Next(entries);
        Blocks.Add(block);
        return Ledger.Apply(block);
    }

    public static LedgerState Replay(IEnumerable<Block> blocks)
    {
        var ledger = new LedgerState();
        foreach (var block in blocks)
        {
            ledger.Apply(block);
        }

        return ledger;
    }
}

internal static class TestEntries
{
    public static Entry Make(string id, EntryKind kind, byte[] payload) => new(id, kind, payload, "node-a", 42);

    public static Entry Put(string id, string key, string value) =>
        Make(id, EntryKind.KvPut, new KvPutPayload(key, Encoding.UTF8.GetBytes(value)).Encode());

    public static Entry Delete(string id, string key) => Make(id, EntryKind.KvDelete, new KvDeletePayload(key).Encode());

    public static Entry AddFile(string id, FileAddPayload file) => Make(id, EntryKind.FileAdd, file.Encode());

    public static Entry Meta(string id, FileMetaPayload meta) => Make(id, EntryKind.FileMeta, meta.Encode());

    public static Entry DeleteFile(string id, string fileId) => Make(id, EntryKind.FileDelete, new FileDeletePayload(fileId).Encode());

    public static Entry Define(string id, string name, FieldType type) => Make(id, EntryKind.FieldDefine, new FieldDefinePayload(name, type).Encode());

    public static Entry Claim(string id, string taskId, string node) => Make(id, EntryKind.TaskClaim, new TaskClaimPayload(taskId, node).Encode());

    public static Entry AddVoter(string id, string node) => Make(id, EntryKind.VoterAdd, new VoterAddPayload(node).Encode());

    public static Entry RemoveVoter(string id, string node) => Make(id, EntryKind.VoterRemove, new VoterRemovePayload(node).Encode());

    public static FileAddPayload Photo(
        string fileId, long? takenAt = null, GeoPoint? location = null, string[]? tags = null,
        string? name = null, IEnumerable<KeyValuePair<string, FieldValue>>? fields = null) =>
        new(fileId, Hash256.Compute(Encoding.UTF8.GetBytes(fileId)), 1234, name ?? fileId + ".jpg", "image/jpeg", tags, fields,
            new MediaMetadata(takenAt, "Canon", "EOS 5D", location, 4000, 3000));

    public static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);
}
