using ActorChain.Consensus.Paxos;
using ActorChain.Remote.Serialization;
using static ActorChain.Consensus.Actors.ChainPeerProtocol;
using static ActorChain.Consensus.Node.ConsensusProtocol;
using static ActorChain.Consensus.Paxos.PaxosProtocol;

namespace ActorChain.Consensus.Wire;

/// <summary>Registers the consensus messages on a remoting serializer registry. Type ids 500–599 are consensus's; never renumber.</summary>
public static class ConsensusSerializers
{
    public const int EnvelopeTypeId = 500;

    public static void Register(SerializerRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(EnvelopeTypeId, new EnvelopeSerializer());
        Add<Prepare>(registry, 501);
        Add<Promise>(registry, 502);
        Add<Accept>(registry, 503);
        Add<Accepted>(registry, 504);
        Add<Reject>(registry, 505);
        Add<AlreadyDecided>(registry, 506);
        Add<Behind>(registry, 507);
        Add<Decided>(registry, 508);
        Add<MempoolForward>(registry, 509);
        Add<HeadStatus>(registry, 510);
        Add<CatchUpRequest>(registry, 511);
        Add<CatchUpBlocks>(registry, 512);
        Add<Chosen>(registry, 513);
        Add<ReadIndexQuery>(registry, 520);
        Add<ReadIndexReply>(registry, 521);
    }

    private static void Add<T>(SerializerRegistry registry, int typeId)
        where T : class, IConsensusMessage =>
        registry.Register(typeId, new MessageSerializer<T>());

    private sealed class MessageSerializer<T> : BinaryMessageSerializer<T>
        where T : class, IConsensusMessage
    {
        public override int GetSize(T message) => ConsensusWire.GetSize(message);

        public override void Write(T message, Span<byte> destination)
        {
            var writer = new WireWriter(destination);
            ConsensusWire.Write(message, ref writer);
        }

        public override T Read(ReadOnlySpan<byte> payload) =>
            ConsensusWire.Decode(payload) as T ?? throw new Remote.RemoteFormatException($"the payload is not a {typeof(T).Name}");
    }

    /// <summary>Sender node id (string), then the message.</summary>
    private sealed class EnvelopeSerializer : BinaryMessageSerializer<PeerEnvelope>
    {
        // An envelope and the consensus message in it are records of immutable values (blocks, entries, ballots).
        public override bool IsImmutable => true;

        public override int GetSize(PeerEnvelope message) => WireSize.String(message.From) + ConsensusWire.GetSize(message.Message);

        public override void Write(PeerEnvelope message, Span<byte> destination)
        {
            var writer = new WireWriter(destination);
            writer.String(message.From);
            ConsensusWire.Write(message.Message, ref writer);
        }

        public override PeerEnvelope Read(ReadOnlySpan<byte> payload)
        {
            var reader = new WireReader(payload);
            var from = reader.String();
            var message = ConsensusWire.Read(ref reader);
            reader.End();
            return new PeerEnvelope(from, message);
        }
    }
}
