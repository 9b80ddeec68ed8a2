using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using ActorChain.Actors;
using static ActorChain.Cluster.ClusterProtocol;

namespace ActorChain.Cluster;

/// <summary>
/// Binary form of <see cref="ClusterProtocol"/> messages for a network transport: one type byte,
/// then little-endian fields; strings are length-prefixed UTF-8. The payload of
/// <see cref="Deliver"/> is opaque here and goes through the delegates the transport supplies.
/// Counts and lengths are checked against the bytes left before anything is allocated.
/// </summary>
public sealed class ClusterMessageCodec(Func<object, byte[]>? serializePayload = null, Func<byte[], object>? deserializePayload = null)
{
    /// <summary>Upper bound of one encoded message; a gossip of a few hundred members is far below it.</summary>
    public const int MaxMessageSize = 4 * 1024 * 1024;

    public enum MessageType : byte
    {
        InitJoin = 1,
        InitJoinAck = 2,
        InitJoinNack = 3,
        Join = 4,
        Welcome = 5,
        Gossip = 6,
        Heartbeat = 7,
        HeartbeatRsp = 8,
        Deliver = 9,
    }

    public byte[] Encode(IClusterMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var buffer = new ArrayBufferWriter<byte>(64);
        var writer = new Writer(buffer);
        switch (message)
        {
            case InitJoin m:
                writer.Byte((byte)MessageType.InitJoin);
                writer.Node(m.From);
                writer.String(m.ClusterId);
                break;
            case InitJoinAck m:
                writer.Byte((byte)MessageType.InitJoinAck);
                writer.Node(m.From);
                break;
            case InitJoinNack m:
                writer.Byte((byte)MessageType.InitJoinNack);
                writer.Node(m.From);
                writer.OptionalString(m.Reason);
                break;
            case ClusterProtocol.Join m:
                writer.Byte((byte)MessageType.Join);
                writer.Node(m.From);
                writer.String(m.ClusterId);
                break;
            case Welcome m:
                writer.Byte((byte)MessageType.Welcome);
                writer.Node(m.From);
                writer.Gossip(m.Gossip);
                break;
            case GossipEnvelope m:
                writer.Byte((byte)MessageType.Gossip);
                writer.Node(m.From);
                writer.Node(m.To);
                writer.String(m.ClusterId);
                writer.Gossip(m.Gossip);
                break;
            case Heartbeat m:
                writer.Byte((byte)MessageType.Heartbeat);
                writer.Node(m.From);
                writer.Int64(m.Sequence);
                break;
            case HeartbeatRsp m:
                writer.Byte((byte)MessageType.HeartbeatRsp);
                writer.Node(m.From);
                writer.Int64(m.Sequence);
                break;
            case Deliver m:
                var payload = (serializePayload ?? throw new InvalidOperationException("This codec has no payload serializer for Deliver."))(m.Message);
                writer.Byte((byte)MessageType.Deliver);
                writer.Node(m.From);
                writer.String(m.Path);
                writer.Bytes(payload);
                break;
            default:
                throw new ArgumentException($"{message.GetType().Name} is not a cluster protocol message.", nameof(message));
        }

        if (buffer.WrittenCount > MaxMessageSize)
        {
            throw new InvalidOperationException($"A {message.GetType().Name} of {buffer.WrittenCount} bytes exceeds the {MaxMessageSize}-byte limit.");
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Throws <see cref="FormatException"/> for truncated, oversized or unknown input.</summary>
    public IClusterMessage Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxMessageSize)
        {
            Reader.Fail($"message of {bytes.Length} bytes exceeds the limit");
        }

        var reader = new Reader(bytes);
        var type = (MessageType)reader.Byte();
        IClusterMessage message = type switch
        {
            MessageType.InitJoin => new InitJoin(reader.Node(), reader.String()),
            MessageType.InitJoinAck => new InitJoinAck(reader.Node()),
            MessageType.InitJoinNack => new InitJoinNack(reader.Node(), reader.OptionalString()),
            MessageType.Join => new ClusterProtocol.Join(reader.Node(), reader.String()),
            MessageType.Welcome => new Welcome(reader.Node(), reader.Gossip()),
            MessageType.Gossip => new GossipEnvelope(reader.Node(), reader.Node(), reader.String(), reader.Gossip()),
            MessageType.Heartbeat => new Heartbeat(reader.Node(), reader.Int64()),
            MessageType.HeartbeatRsp => new HeartbeatRsp(reader.Node(), reader.Int64()),
            MessageType.Deliver => new Deliver(
                reader.Node(),
                reader.String(),
                (deserializePayload ?? throw new InvalidOperationException("This codec has no payload deserializer for Deliver."))(reader.Bytes())),
            _ => throw new FormatException($"Unknown cluster message type {(byte)type}."),
        };

        if (!reader.AtEnd)
        {
            Reader.Fail("trailing bytes after the message");
        }

        return message;
    }

    private readonly ref struct Writer(IBufferWriter<byte> buffer)
    {
        public void Byte(byte value)
        {
            buffer.GetSpan(1)[0] = value;
            buffer.Advance(1);
        }

        public void Int32(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(4), value);
            buffer.Advance(4);
        }

        public void Int64(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(buffer.GetSpan(8), value);
            buffer.Advance(8);
        }

        public void Bytes(ReadOnlySpan<byte> value)
        {
            Int32(value.Length);
            buffer.Write(value);
        }

        public void String(string value)
        {
            var length = Encoding.UTF8.GetByteCount(value);
            Int32(length);
            Encoding.UTF8.GetBytes(value, buffer.GetSpan(length));
            buffer.Advance(length);
        }

        public void OptionalString(string? value)
        {
            Byte(value is null ? (byte)0 : (byte)1);
            if (value is not null)
            {
                String(value);
            }
        }

        public void Node(UniqueAddress node)
        {
            String(node.Address.ToString());
            Int64(node.Uid);
        }

        public void Gossip(Gossip gossip)
        {
            Int32(gossip.Members.Count);
            foreach (var member in gossip.Members.Values)
            {
                Node(member.UniqueAddress);
                Byte((byte)member.Status);
            }

            var rows = gossip.Overview.Records.ToList();
            Int32(rows.Count);
            foreach (var row in rows)
            {
                Node(row.Observer);
                Node(row.Subject);
                Byte((byte)row.Status);
                Int64(row.Version);
            }

            Int32(gossip.Version.Versions.Count);
            foreach (var (node, version) in gossip.Version.Versions)
            {
                String(node);
                Int64(version);
            }

            Int32(gossip.Seen.Count);
            foreach (var node in gossip.Seen)
            {
                Node(node);
            }
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        // The smallest encoding of one element of a counted list (an empty string and a uid for a node),
        // used to reject counts the remaining bytes cannot hold.
        private const int MinNodeSize = 4 + 8;

        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _position;

        public readonly bool AtEnd => _position == _bytes.Length;

        [DoesNotReturn]
        public static void Fail(string problem) => throw new FormatException($"Malformed cluster message: {problem}.");

        public byte Byte() => Take(1)[0];

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public byte[] Bytes() => Take(Length()).ToArray();

        public string String() => Encoding.UTF8.GetString(Take(Length()));

        public string? OptionalString() => Byte() switch
        {
            0 => null,
            1 => String(),
            _ => throw new FormatException("Malformed cluster message: bad optional-string marker."),
        };

        public UniqueAddress Node()
        {
            var text = String();
            if (!Address.TryParse(text, out var address))
            {
                Fail($"'{text}' is not an address");
            }

            return new UniqueAddress(address, Int64());
        }

        public Gossip Gossip()
        {
            var memberCount = Count(MinNodeSize + 1);
            var members = ImmutableSortedDictionary.CreateBuilder<UniqueAddress, Member>();
            for (var i = 0; i < memberCount; i++)
            {
                var node = Node();
                members[node] = new Member(node, Status<MemberStatus>(Byte(), (byte)MemberStatus.Removed));
            }

            var rowCount = Count((2 * MinNodeSize) + 1 + 8);
            var rows = new List<ReachabilityRecord>(rowCount);
            for (var i = 0; i < rowCount; i++)
            {
                rows.Add(new ReachabilityRecord(Node(), Node(), Status<ReachabilityStatus>(Byte(), (byte)ReachabilityStatus.Unreachable), Int64()));
            }

            var clockCount = Count(4 + 8);
            var versions = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
            for (var i = 0; i < clockCount; i++)
            {
                versions[String()] = Int64();
            }

            var seenCount = Count(MinNodeSize);
            var seen = ImmutableSortedSet.CreateBuilder<UniqueAddress>();
            for (var i = 0; i < seenCount; i++)
            {
                seen.Add(Node());
            }

            return new Gossip(members.ToImmutable(), Reachability.FromRecords(rows), new VectorClock(versions.ToImmutable()), seen.ToImmutable());
        }

        private static T Status<T>(byte value, byte max)
            where T : struct, Enum
        {
            if (value > max)
            {
                Fail($"status {value} out of range");
            }

            return (T)Enum.ToObject(typeof(T), value);
        }

        private int Count(int minElementSize)
        {
            var count = Int32();
            if (count < 0 || (long)count * minElementSize > _bytes.Length - _position)
            {
                Fail($"count {count} does not fit the remaining {_bytes.Length - _position} bytes");
            }

            return count;
        }

        private int Length()
        {
            var length = Int32();
            if (length < 0 || length > _bytes.Length - _position)
            {
                Fail($"length {length} does not fit the remaining {_bytes.Length - _position} bytes");
            }

            return length;
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count > _bytes.Length - _position)
            {
                Fail("truncated");
            }

            var slice = _bytes.Slice(_position, count);
            _position += count;
            return slice;
        }
    }
}
