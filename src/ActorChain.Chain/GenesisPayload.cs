using ActorChain.Chain.Canonical;

namespace ActorChain.Chain;

/// <summary>
/// The payload of the one <see cref="EntryKind.Genesis"/> entry in block 0: the cluster id
/// and the initial voters. Two clusters with different genesis never mix.
/// </summary>
public sealed record GenesisPayload(string ClusterId, IReadOnlyList<string> Voters)
{
    public const byte CurrentVersion = 1;
    public const int MaxVoters = 1024;

    /// <summary>The id of the genesis entry: the same for every cluster, so it is never applied twice.</summary>
    public const string EntryId = "genesis";

    public byte[] Encode()
    {
        Validate();
        var size = 1 + 1 + ChainLimits.Utf8.GetByteCount(ClusterId) + 2;
        foreach (var voter in Voters)
        {
            size += 1 + ChainLimits.Utf8.GetByteCount(voter);
        }

        var bytes = new byte[size];
        var writer = new CanonicalWriter(bytes);
        writer.WriteByte(CurrentVersion);
        writer.WriteText(ClusterId, shortPrefix: true);
        writer.WriteUInt16((ushort)Voters.Count);
        foreach (var voter in Voters)
        {
            writer.WriteText(voter, shortPrefix: true);
        }

        return bytes;
    }

    /// <exception cref="ChainFormatException">The bytes are not a genesis payload.</exception>
    public static GenesisPayload Decode(ReadOnlySpan<byte> payload)
    {
        var reader = new CanonicalReader(payload);
        var version = reader.ReadByte();
        if (version != CurrentVersion)
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
        for (var i = 0; i < count; i++)
        {
            voters.Add(reader.ReadText(shortPrefix: true, Entry.MaxNodeIdBytes, "a voter node id"));
        }

        if (reader.Remaining != 0)
        {
            CanonicalReader.Fail($"{reader.Remaining} bytes follow the genesis payload");
        }

        if (voters.Distinct(StringComparer.Ordinal).Count() != voters.Count)
        {
            CanonicalReader.Fail("genesis lists a voter twice");
        }

        return new GenesisPayload(clusterId, voters);
    }

    /// <summary>Block 0 of a new cluster: one genesis entry, no previous hash.</summary>
    public static Block CreateGenesisBlock(string clusterId, IReadOnlyList<string> voters, long timestampUnixMs)
    {
        var payload = new GenesisPayload(clusterId, voters).Encode();
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
    }
}
