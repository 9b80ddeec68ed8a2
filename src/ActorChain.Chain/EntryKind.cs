namespace ActorChain.Chain;

/// <summary>What an entry does to the ledger. The byte values are part of the canonical encoding: never renumber.</summary>
public enum EntryKind : byte
{
    /// <summary>Only in the genesis block: the cluster id and the initial voter set.</summary>
    Genesis = 0,
    KvPut = 1,
    KvDelete = 2,
    FileAdd = 3,
    FileMeta = 4,
    FileDelete = 5,
    FieldDefine = 6,
    TaskClaim = 7,
    VoterAdd = 8,
    VoterRemove = 9,
}

public static class EntryKinds
{
    private static readonly string[] WireNames =
    [
        "chain.genesis", "kv.put", "kv.delete", "file.add", "file.meta", "file.delete",
        "field.define", "task.claim", "voter.add", "voter.remove",
    ];

    public static bool IsDefined(EntryKind kind) => (byte)kind < WireNames.Length;

    /// <summary>The dotted name used in JSON and docs, e.g. <c>kv.put</c>.</summary>
    public static string ToWireName(this EntryKind kind) =>
        IsDefined(kind) ? WireNames[(byte)kind] : throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown entry kind.");

    public static bool TryParse(string name, out EntryKind kind)
    {
        var index = Array.IndexOf(WireNames, name);
        kind = (EntryKind)Math.Max(index, 0);
        return index >= 0;
    }
}
