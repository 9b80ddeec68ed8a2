using ActorChain.Chain.Canonical;
using ActorChain.Chain.Signing;

namespace ActorChain.Chain.Ledger;

/// <summary><c>field.define</c>: version(1) · name (u8 length, [a-z0-9_-]{1,64}) · type(u8).</summary>
public sealed record FieldDefinePayload
{
    public FieldDefinePayload(string name, FieldType type)
    {
        Name = LedgerRules.FieldName(name);
        Type = FieldTypes.IsDefined(type) ? type : throw new ArgumentException($"Field type {(byte)type} is unknown.");
    }

    public string Name { get; }

    public FieldType Type { get; }

    public byte[] Encode()
    {
        var writer = PayloadCodec.Start();
        writer.WriteText(Name, shortPrefix: true);
        writer.WriteByte((byte)Type);
        return writer.ToArray();
    }

    /// <exception cref="ChainFormatException">The bytes are not a field.define payload.</exception>
    public static FieldDefinePayload Decode(ReadOnlySpan<byte> payload) =>
        PayloadCodec.Decode(payload, EntryKind.FieldDefine, static (ref CanonicalReader reader) =>
        {
            var name = reader.ReadText(shortPrefix: true, LedgerLimits.MaxFieldNameLength, "the field name");
            return new FieldDefinePayload(name, (FieldType)reader.ReadByte());
        });
}

/// <summary><c>task.claim</c>: version(1) · task id (u16 length, 1..256 bytes) · claimant node id (u8 length).</summary>
public sealed record TaskClaimPayload
{
    public TaskClaimPayload(string taskId, string claimant)
    {
        TaskId = LedgerRules.Text(taskId, LedgerLimits.MaxTaskIdBytes, "task id");
        Claimant = LedgerRules.NodeId(claimant, "claimant node id");
    }

    public string TaskId { get; }

    public string Claimant { get; }

    public byte[] Encode()
    {
        var writer = PayloadCodec.Start();
        writer.WriteText(TaskId, shortPrefix: false);
        writer.WriteText(Claimant, shortPrefix: true);
        return writer.ToArray();
    }

    /// <exception cref="ChainFormatException">The bytes are not a task.claim payload.</exception>
    public static TaskClaimPayload Decode(ReadOnlySpan<byte> payload) =>
        PayloadCodec.Decode(payload, EntryKind.TaskClaim, static (ref CanonicalReader reader) =>
        {
            var taskId = reader.ReadText(shortPrefix: false, LedgerLimits.MaxTaskIdBytes, "the task id");
            return new TaskClaimPayload(taskId, reader.ReadText(shortPrefix: true, Entry.MaxNodeIdBytes, "the claimant"));
        });
}

/// <summary>
/// <c>voter.add</c>: version(1) · node id (u8 length, 1..64 bytes); or, carrying the new voter's public
/// key as a chain with signed blocks requires, version(2) · node id · key (65 bytes, <see cref="VoterKey"/>).
/// </summary>
public sealed record VoterAddPayload
{
    public const byte KeyedVersion = 2;

    public VoterAddPayload(string nodeId, VoterKey? publicKey = null)
    {
        NodeId = LedgerRules.NodeId(nodeId, "voter node id");
        PublicKey = publicKey;
    }

    public string NodeId { get; }

    public VoterKey? PublicKey { get; }

    public byte[] Encode()
    {
        if (PublicKey is null)
        {
            return VoterCodec.Encode(NodeId);
        }

        var writer = new PayloadBuilder(2 + Entry.MaxNodeIdBytes + VoterKey.Size);
        writer.WriteByte(KeyedVersion);
        writer.WriteText(NodeId, shortPrefix: true);
        writer.WriteBytes(PublicKey.Point);
        return writer.ToArray();
    }

    /// <exception cref="ChainFormatException">The bytes are not a voter.add payload.</exception>
    public static VoterAddPayload Decode(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty || payload[0] != KeyedVersion)
        {
            return new(VoterCodec.Decode(payload, EntryKind.VoterAdd));
        }

        try
        {
            var reader = new CanonicalReader(payload[1..]);
            var nodeId = LedgerRules.NodeId(reader.ReadText(shortPrefix: true, Entry.MaxNodeIdBytes, "the node id"), "voter node id");
            if (!VoterKey.TryFromPoint(reader.ReadBytes(VoterKey.Size, "the public key"), out var key, out var error))
            {
                CanonicalReader.Fail(error);
            }

            if (reader.Remaining != 0)
            {
                CanonicalReader.Fail($"{reader.Remaining} bytes follow the payload");
            }

            return new(nodeId, key);
        }
        catch (ChainFormatException e)
        {
            throw new ChainFormatException($"voter.add payload version {KeyedVersion}: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw LedgerRules.ToFormat(e, $"voter.add payload version {KeyedVersion}");
        }
    }
}

/// <summary><c>voter.remove</c>: version(1) · node id (u8 length, 1..64 bytes).</summary>
public sealed record VoterRemovePayload
{
    public VoterRemovePayload(string nodeId) => NodeId = LedgerRules.NodeId(nodeId, "voter node id");

    public string NodeId { get; }

    public byte[] Encode() => VoterCodec.Encode(NodeId);

    /// <exception cref="ChainFormatException">The bytes are not a voter.remove payload.</exception>
    public static VoterRemovePayload Decode(ReadOnlySpan<byte> payload) => new(VoterCodec.Decode(payload, EntryKind.VoterRemove));
}

internal static class VoterCodec
{
    public static byte[] Encode(string nodeId)
    {
        var writer = PayloadCodec.Start();
        writer.WriteText(nodeId, shortPrefix: true);
        return writer.ToArray();
    }

    public static string Decode(ReadOnlySpan<byte> payload, EntryKind kind) =>
        PayloadCodec.Decode(payload, kind, static (ref CanonicalReader reader) =>
            LedgerRules.NodeId(reader.ReadText(shortPrefix: true, Entry.MaxNodeIdBytes, "the node id"), "voter node id"));
}
