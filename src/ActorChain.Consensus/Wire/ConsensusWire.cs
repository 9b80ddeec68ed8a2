using ActorChain.Chain;
using ActorChain.Consensus.Paxos;
using static ActorChain.Consensus.Actors.ChainPeerProtocol;
using static ActorChain.Consensus.Node.ConsensusProtocol;
using static ActorChain.Consensus.Paxos.PaxosProtocol;

namespace ActorChain.Consensus.Wire;

/// <summary>The first byte of every encoded consensus message. Part of the wire protocol: never renumber.</summary>
internal enum ConsensusMessageType : byte
{
    Prepare = 1,
    Promise = 2,
    Accept = 3,
    Accepted = 4,
    Reject = 5,
    AlreadyDecided = 6,
    Behind = 7,
    Decided = 8,
    MempoolForward = 9,
    HeadStatus = 10,
    CatchUpRequest = 11,
    CatchUpBlocks = 12,
    Chosen = 13,
    ReadIndexQuery = 20,
    ReadIndexReply = 21,
}

/// <summary>
/// Hand-written codecs for every <see cref="IConsensusMessage"/>: a type byte, then the fields
/// little-endian (ballot = round i64 + node id; string = u16 length + UTF-8; block and entry =
/// i32 length + their canonical <see cref="BlockCodec"/> bytes; list = i32 count + items).
/// </summary>
internal static class ConsensusWire
{
    private const int MinBlockBytes = 4;

    public static int GetSize(IConsensusMessage message) => 1 + message switch
    {
        Prepare m => 8 + WireSize.Ballot(m.Ballot),
        Promise m => 8 + WireSize.Ballot(m.Ballot) + 1
            + (m.AcceptedBallot is { } b ? WireSize.Ballot(b) : 0)
            + (m.AcceptedBlock is { } block ? WireSize.Block(block) : 0),
        Accept m => 8 + WireSize.Ballot(m.Ballot) + WireSize.Block(m.Block) + 1,
        Accepted m => 8 + WireSize.Ballot(m.Ballot) + 1 + (m.Next is { } next
            ? (next.AcceptedBallot is { } nb ? WireSize.Ballot(nb) : 0) + (next.AcceptedBlock is { } nblock ? WireSize.Block(nblock) : 0)
            : 0),
        Reject m => 8 + WireSize.Ballot(m.Ballot) + WireSize.Ballot(m.HigherBallot) + 1,
        AlreadyDecided m => 8 + WireSize.Block(m.Block),
        Behind m => 8 + WireSize.Ballot(m.Ballot) + 8,
        Decided m => 8 + WireSize.Block(m.Block),
        MempoolForward m => 4 + m.Entries.Sum(WireSize.Entry),
        HeadStatus => 8 + Hash256.Size,
        Chosen m => 8 + WireSize.Ballot(m.Ballot) + Hash256.Size,
        CatchUpRequest => 8 + 4,
        CatchUpBlocks m => 8 + 4 + m.Blocks.Sum(WireSize.Block) + 8,
        ReadIndexQuery => 8,
        ReadIndexReply => 8 + 8,
        _ => throw Unknown(message),
    };

    public static void Write(IConsensusMessage message, ref WireWriter writer)
    {
        switch (message)
        {
            case Prepare m:
                writer.Byte((byte)ConsensusMessageType.Prepare);
                writer.Int64(m.Height);
                writer.Ballot(m.Ballot);
                break;
            case Promise m:
                writer.Byte((byte)ConsensusMessageType.Promise);
                writer.Int64(m.Height);
                writer.Ballot(m.Ballot);
                writer.Byte((byte)((m.AcceptedBallot is null ? 0 : 1) | (m.AcceptedBlock is null ? 0 : 2)));
                if (m.AcceptedBallot is { } acceptedBallot)
                {
                    writer.Ballot(acceptedBallot);
                }

                if (m.AcceptedBlock is { } acceptedBlock)
                {
                    writer.Block(acceptedBlock);
                }

                break;
            case Accept m:
                writer.Byte((byte)ConsensusMessageType.Accept);
                writer.Int64(m.Height);
                writer.Ballot(m.Ballot);
                writer.Block(m.Block);
                writer.Byte(m.PrepareNext ? (byte)1 : (byte)0);
                break;
            case Accepted m:
                writer.Byte((byte)ConsensusMessageType.Accepted);
                writer.Int64(m.Height);
                writer.Ballot(m.Ballot);

                // Bit 0: a next promise follows; bit 1: it carries an accepted ballot; bit 2: an accepted block.
                writer.Byte((byte)(m.Next is null ? 0 : 1 | (m.Next.AcceptedBallot is null ? 0 : 2) | (m.Next.AcceptedBlock is null ? 0 : 4)));
                if (m.Next?.AcceptedBallot is { } nextBallot)
                {
                    writer.Ballot(nextBallot);
                }

                if (m.Next?.AcceptedBlock is { } nextBlock)
                {
                    writer.Block(nextBlock);
                }

                break;
            case Reject m:
                writer.Byte((byte)ConsensusMessageType.Reject);
                writer.Int64(m.Height);
                writer.Ballot(m.Ballot);
                writer.Ballot(m.HigherBallot);
                writer.Byte((byte)m.Reason);
                break;
            case AlreadyDecided m:
                writer.Byte((byte)ConsensusMessageType.AlreadyDecided);
                writer.Int64(m.Height);
                writer.Block(m.Block);
                break;
            case Behind m:
                writer.Byte((byte)ConsensusMessageType.Behind);
                writer.Int64(m.Height);
                writer.Ballot(m.Ballot);
                writer.Int64(m.AcceptorHead);
                break;
            case Decided m:
                writer.Byte((byte)ConsensusMessageType.Decided);
                writer.Int64(m.Height);
                writer.Block(m.Block);
                break;
            case MempoolForward m:
                writer.Byte((byte)ConsensusMessageType.MempoolForward);
                writer.Int32(m.Entries.Count);
                foreach (var entry in m.Entries)
                {
                    writer.Entry(entry);
                }

                break;
            case Chosen m:
                writer.Byte((byte)ConsensusMessageType.Chosen);
                writer.Int64(m.Height);
                writer.Ballot(m.Ballot);
                writer.Hash(m.BlockHash);
                break;
            case HeadStatus m:
                writer.Byte((byte)ConsensusMessageType.HeadStatus);
                writer.Int64(m.Height);
                writer.Hash(m.HeadHash);
                break;
            case CatchUpRequest m:
                writer.Byte((byte)ConsensusMessageType.CatchUpRequest);
                writer.Int64(m.FromHeight);
                writer.Int32(m.MaxBlocks);
                break;
            case CatchUpBlocks m:
                writer.Byte((byte)ConsensusMessageType.CatchUpBlocks);
                writer.Int64(m.FromHeight);
                writer.Int32(m.Blocks.Count);
                foreach (var block in m.Blocks)
                {
                    writer.Block(block);
                }

                writer.Int64(m.SenderHead);
                break;
            case ReadIndexQuery m:
                writer.Byte((byte)ConsensusMessageType.ReadIndexQuery);
                writer.Int64(m.RequestId);
                break;
            case ReadIndexReply m:
                writer.Byte((byte)ConsensusMessageType.ReadIndexReply);
                writer.Int64(m.RequestId);
                writer.Int64(m.Height);
                break;
            default:
                throw Unknown(message);
        }
    }

    public static byte[] Encode(IConsensusMessage message)
    {
        var bytes = new byte[GetSize(message)];
        var writer = new WireWriter(bytes);
        Write(message, ref writer);
        return bytes;
    }

    /// <exception cref="Remote.RemoteFormatException">The bytes are not one consensus message.</exception>
    public static IConsensusMessage Decode(ReadOnlySpan<byte> source)
    {
        var reader = new WireReader(source);
        var message = Read(ref reader);
        reader.End();
        return message;
    }

    public static IConsensusMessage Read(ref WireReader reader)
    {
        var type = (ConsensusMessageType)reader.Byte();
        switch (type)
        {
            case ConsensusMessageType.Prepare:
                return new Prepare(reader.Int64(), reader.Ballot());
            case ConsensusMessageType.Promise:
            {
                var height = reader.Int64();
                var ballot = reader.Ballot();
                var flags = reader.Byte();
                if (flags > 3)
                {
                    WireReader.Fail($"promise flags {flags} are unknown");
                }

                Ballot? acceptedBallot = (flags & 1) != 0 ? reader.Ballot() : null;
                var acceptedBlock = (flags & 2) != 0 ? reader.Block() : null;
                return new Promise(height, ballot, acceptedBallot, acceptedBlock);
            }

            case ConsensusMessageType.Accept:
            {
                var height = reader.Int64();
                var ballot = reader.Ballot();
                var block = reader.Block();
                var flags = reader.Byte();
                if (flags > 1)
                {
                    WireReader.Fail($"accept flags {flags} are unknown");
                }

                return new Accept(height, ballot, block, flags == 1);
            }

            case ConsensusMessageType.Accepted:
            {
                var height = reader.Int64();
                var ballot = reader.Ballot();
                var flags = reader.Byte();
                if (flags > 7 || (flags != 0 && (flags & 1) == 0))
                {
                    WireReader.Fail($"accepted flags {flags} are unknown");
                }

                if ((flags & 1) == 0)
                {
                    return new Accepted(height, ballot);
                }

                Ballot? nextBallot = (flags & 2) != 0 ? reader.Ballot() : null;
                var nextBlock = (flags & 4) != 0 ? reader.Block() : null;
                return new Accepted(height, ballot, new NextPromise(nextBallot, nextBlock));
            }

            case ConsensusMessageType.Reject:
            {
                var height = reader.Int64();
                var ballot = reader.Ballot();
                var higher = reader.Ballot();
                var reason = (RejectReason)reader.Byte();
                if (reason is not (RejectReason.BallotTooLow or RejectReason.InvalidBlock))
                {
                    WireReader.Fail($"reject reason {(byte)reason} is unknown");
                }

                return new Reject(height, ballot, higher, reason);
            }

            case ConsensusMessageType.AlreadyDecided:
                return new AlreadyDecided(reader.Int64(), reader.Block());
            case ConsensusMessageType.Behind:
                return new Behind(reader.Int64(), reader.Ballot(), reader.Int64());
            case ConsensusMessageType.Decided:
                return new Decided(reader.Int64(), reader.Block());
            case ConsensusMessageType.MempoolForward:
            {
                var entries = new Entry[reader.Count(4)];
                for (var i = 0; i < entries.Length; i++)
                {
                    entries[i] = reader.Entry();
                }

                return new MempoolForward(entries);
            }

            case ConsensusMessageType.HeadStatus:
                return new HeadStatus(reader.Int64(), reader.Hash());
            case ConsensusMessageType.Chosen:
                return new Chosen(reader.Int64(), reader.Ballot(), reader.Hash());
            case ConsensusMessageType.CatchUpRequest:
                return new CatchUpRequest(reader.Int64(), reader.Int32());
            case ConsensusMessageType.CatchUpBlocks:
            {
                var from = reader.Int64();
                var blocks = new Block[reader.Count(MinBlockBytes)];
                for (var i = 0; i < blocks.Length; i++)
                {
                    blocks[i] = reader.Block();
                }

                return new CatchUpBlocks(from, blocks, reader.Int64());
            }

            case ConsensusMessageType.ReadIndexQuery:
                return new ReadIndexQuery(reader.Int64());
            case ConsensusMessageType.ReadIndexReply:
                return new ReadIndexReply(reader.Int64(), reader.Int64());
            default:
                WireReader.Fail($"message type {(byte)type} is unknown");
                return null!;
        }
    }

    private static NotSupportedException Unknown(IConsensusMessage message) =>
        new($"{message.GetType().Name} has no wire codec.");
}
