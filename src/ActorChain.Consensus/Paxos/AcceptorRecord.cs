using System.Buffers.Binary;
using System.Text;
using ActorChain.Chain;

namespace ActorChain.Consensus.Paxos;

public enum AcceptorRecordKind : byte
{
    /// <summary>promised[h] rose to the ballot.</summary>
    Promised = 1,

    /// <summary>accepted[h] = (ballot, block); implies promised[h] ≥ ballot.</summary>
    Accepted = 2,

    /// <summary>The node's own proposer used this round: a restarted node must never reuse it.</summary>
    RoundUsed = 3,
}

/// <summary>
/// One change of the acceptor's durable state. The caller persists it (fsync) before it sends
/// the reply it came with: a promise or an acceptance that a restart forgets breaks Paxos.
/// </summary>
/// <remarks>
/// Layout v1, little-endian: version u8, kind u8, height i64, round i64, node id (u8 length +
/// UTF-8), then for <see cref="AcceptorRecordKind.Accepted"/> the block (u32 length +
/// <see cref="BlockCodec.EncodeBlock"/> bytes). Nothing follows.
/// </remarks>
public sealed record AcceptorRecord(AcceptorRecordKind Kind, long Height, Ballot Ballot, Block? Block = null)
{
    public const byte CurrentVersion = 1;

    private const int FixedSize = 1 + 1 + 8 + 8 + 1;

    public static AcceptorRecord Promised(long height, Ballot ballot) => new(AcceptorRecordKind.Promised, height, ballot);

    public static AcceptorRecord Accepted(long height, Ballot ballot, Block block) => new(AcceptorRecordKind.Accepted, height, ballot, block);

    public static AcceptorRecord RoundUsed(Ballot ballot) => new(AcceptorRecordKind.RoundUsed, 0, ballot);

    // One allocation of the exact size: an Accepted record carries a whole block, written once per acceptor per height.
    public byte[] Encode()
    {
        var id = Ballot.NodeId ?? string.Empty;
        var idLength = Encoding.UTF8.GetByteCount(id);
        if (idLength > Entry.MaxNodeIdBytes)
        {
            throw new InvalidOperationException($"A ballot's node id is at most {Entry.MaxNodeIdBytes} UTF-8 bytes, not {idLength}.");
        }

        var block = Kind == AcceptorRecordKind.Accepted
            ? Block ?? throw new InvalidOperationException("An Accepted record carries its block.")
            : null;
        var blockSize = block is null ? 0 : BlockCodec.GetBlockSize(block);
        var bytes = new byte[FixedSize + idLength + (block is null ? 0 : 4 + blockSize)];
        var span = bytes.AsSpan();
        span[0] = CurrentVersion;
        span[1] = (byte)Kind;
        BinaryPrimitives.WriteInt64LittleEndian(span[2..], Height);
        BinaryPrimitives.WriteInt64LittleEndian(span[10..], Ballot.Round);
        span[18] = (byte)idLength;
        Encoding.UTF8.GetBytes(id, span.Slice(FixedSize, idLength));
        if (block is not null)
        {
            var at = FixedSize + idLength;
            BinaryPrimitives.WriteUInt32LittleEndian(span[at..], (uint)blockSize);
            BlockCodec.WriteBlock(block, span.Slice(at + 4, blockSize));
        }

        return bytes;
    }

    /// <exception cref="FormatException">The bytes are not an acceptor record of a known version.</exception>
    public static AcceptorRecord Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < FixedSize)
        {
            Fail($"{bytes.Length} bytes are shorter than the {FixedSize}-byte fixed part");
        }

        if (bytes[0] != CurrentVersion)
        {
            Fail($"version {bytes[0]} is not supported (this node reads {CurrentVersion})");
        }

        var kind = (AcceptorRecordKind)bytes[1];
        if (kind is not (AcceptorRecordKind.Promised or AcceptorRecordKind.Accepted or AcceptorRecordKind.RoundUsed))
        {
            Fail($"kind {bytes[1]} is unknown");
        }

        var height = BinaryPrimitives.ReadInt64LittleEndian(bytes[2..]);
        var round = BinaryPrimitives.ReadInt64LittleEndian(bytes[10..]);
        if (height < 0 || round < 0)
        {
            Fail($"height {height} or round {round} is negative");
        }

        int idLength = bytes[18];
        if (idLength > Entry.MaxNodeIdBytes || bytes.Length < FixedSize + idLength)
        {
            Fail($"the node id length {idLength} does not fit");
        }

        string nodeId;
        try
        {
            nodeId = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.Slice(FixedSize, idLength));
        }
        catch (DecoderFallbackException)
        {
            Fail("the node id is not UTF-8");
            throw;
        }

        var rest = bytes[(FixedSize + idLength)..];
        Block? block = null;
        if (kind == AcceptorRecordKind.Accepted)
        {
            if (rest.Length < 4 || BinaryPrimitives.ReadUInt32LittleEndian(rest) != (uint)(rest.Length - 4))
            {
                Fail("the block length does not match the bytes that follow");
            }

            if (!BlockCodec.TryDecodeBlock(rest[4..], out block, out var error))
            {
                Fail($"the block is malformed: {error}");
            }

            if (block!.Height != height)
            {
                Fail($"the block has height {block.Height}, the record {height}");
            }
        }
        else if (rest.Length != 0)
        {
            Fail($"{rest.Length} bytes follow the record");
        }

        return new AcceptorRecord(kind, height, new Ballot(round, nodeId), block);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void Fail(string reason) => throw new FormatException($"Not an acceptor record: {reason}.");
}
