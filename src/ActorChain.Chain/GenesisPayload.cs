using ActorChain.Chain.Canonical;
using ActorChain.Chain.Signing;

namespace ActorChain.Chain;

/// <summary>
/// The payload of the one <see cref="EntryKind.Genesis"/> entry in block 0: the cluster id
/// and the initial voters. Two clusters with different genesis never mix. Version 2 adds each
/// voter's public key and marks a chain whose blocks are signed (docs/protocol.md §7).
/// </summary>
public sealed record GenesisPayload(string ClusterId, IReadOnlyList<string> Voters)
{
    public const byte CurrentVersion = 1;

    /// <summary>The version of a genesis with voter keys: its chain's blocks are signed.</summary>
    public const byte SignedVersion = 2;
    public const int MaxVoters = 1024;

    /// <summary>The id of the genesis entry: the same for every cluster, so it is never applied twice.</summary>
    public const string EntryId = "genesis";

    /// <summary>Each voter's public key (every voter has one); null for a chain whose blocks are not signed.</summary>
    public IReadOnlyDictionary<string, VoterKey>? VoterKeys { get; init; }

    public bool SignedBlocks => VoterKeys is not null;

    public byte[] Encode()
    {
        Validate();
        var keyBytes = SignedBlocks ? VoterKey.Size : 0;
        var size = 1 + 1 + ChainLimits.Utf8.GetByteCount(ClusterId) + 2;
        foreach (var voter in Voters)
        {
            size += 1 + ChainLimits.Utf8.GetByteCount(voter) + keyBytes;
        }

        var bytes = new byte[size];
        var writer = new CanonicalWriter(bytes);
        writer.WriteByte(SignedBlocks ? SignedVersion : CurrentVersion);
        writer.WriteText(ClusterId, shortPrefix: true);
        writer.WriteUInt16((ushort)Voters.Count);
        foreach (var voter in Voters)
        {
            writer.WriteText(voter, shortPrefix: true);
            if (VoterKeys is not null)
            {
                writer.WriteBytes(VoterKeys[voter].Point);
            }
        }

        return bytes;
    }

    /// <exception cref="ChainFormatException">The bytes are not a genesis payload.</exception>
    public static GenesisPayload Decode(ReadOnlySpan<byte> payload)
    {
        var reader = new CanonicalReader(payload);
        var version = reader.ReadByte();
        if (version is not (CurrentVersion or SignedVersion))
        {
            CanonicalReader.Fail($"genesis payload version {version} is not supported");
        }

        var clusterId = reader.ReadText(shortPrefix: true, Entry.MaxNodeIdBytes, "the cluster id");
        int count = reader.ReadUInt16();
        if (count == 0 || count > MaxVoters)
        {
            CanonicalReader.Fail($"genesis lists {count} voters; it must list 1 to {MaxVoters}");
        }

        var voters = new List<string>(Math.Min(count, reader.Remaining / 2));
        var keys = version == SignedVersion ? new Dictionary<string, VoterKey>(StringComparer.Ordinal) : null;
        for (var i = 0; i < count; i++)
        {
            var voter = reader.ReadText(shortPrefix: true, Entry.MaxNodeIdBytes, "a voter node id");
            voters.Add(voter);
            if (keys is not null)
            {
                if (!VoterKey.TryFromPoint(reader.ReadBytes(VoterKey.Size, "a voter key"), out var key, out var error))
                {
                    CanonicalReader.Fail($"the key of voter {voter}: {error}");
                }

                keys[voter] = key;
            }
        }

        if (reader.Remaining != 0)
        {
            CanonicalReader.Fail($"{reader.Remaining} bytes follow the genesis payload");
        }

        if (voters.Distinct(StringComparer.Ordinal).Count() != voters.Count)
        {
            CanonicalReader.Fail("genesis lists a voter twice");
        }

        return new GenesisPayload(clusterId, voters) { VoterKeys = keys };
    }

    /// <summary>Block 0 of a new cluster: one genesis entry, no previous hash; with <paramref name="voterKeys"/>, of a chain whose blocks are signed.</summary>
    public static Block CreateGenesisBlock(
        string clusterId, IReadOnlyList<string> voters, long timestampUnixMs, IReadOnlyDictionary<string, VoterKey>? voterKeys = null)
    {
        var payload = new GenesisPayload(clusterId, voters) { VoterKeys = voterKeys }.Encode();
        var entry = new Entry(EntryId, EntryKind.Genesis, payload, clusterId, timestampUnixMs, validate: true);
        return Block.Create(0, Hash256.Zero, timestampUnixMs, clusterId, [entry]);
    }

    private void Validate()
    {
        ChainLimits.ValidateText(ClusterId, Entry.MaxNodeIdBytes, "cluster id");
        ArgumentNullException.ThrowIfNull(Voters);
        if (Voters.Count == 0 || Voters.Count > MaxVoters)
        {
            throw new ArgumentException($"A cluster has 1 to {MaxVoters} initial voters, not {Voters.Count}.");
        }

        foreach (var voter in Voters)
        {
            ChainLimits.ValidateText(voter, Entry.MaxNodeIdBytes, "voter node id");
        }

        if (Voters.Distinct(StringComparer.Ordinal).Count() != Voters.Count)
        {
            throw new ArgumentException("The initial voters list a node id twice.");
        }

        if (VoterKeys is not null && (VoterKeys.Count != Voters.Count || Voters.Any(v => !VoterKeys.ContainsKey(v))))
        {
            throw new ArgumentException("With signed blocks every initial voter needs a public key, and only they: " +
                $"voters [{string.Join(", ", Voters)}], keys for [{string.Join(", ", VoterKeys.Keys)}].");
        }
    }
}
