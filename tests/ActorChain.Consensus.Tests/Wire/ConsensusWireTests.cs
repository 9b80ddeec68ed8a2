using ActorChain.Chain;
using ActorChain.Consensus.Paxos;
using ActorChain.Consensus.Wire;
using ActorChain.Remote;
using ActorChain.Remote.Serialization;
using FsCheck;
using FsCheck.Fluent;
using static ActorChain.Consensus.Actors.ChainPeerProtocol;
using static ActorChain.Consensus.Node.ConsensusProtocol;
using static ActorChain.Consensus.Paxos.PaxosProtocol;

namespace ActorChain.Consensus.Tests.Wire;

public sealed class ConsensusWireTests
{
    private static readonly Block Genesis = TestChains.Genesis("a", "b", "c");

    private static readonly Gen<Ballot> Ballots =
        from round in Gen.Choose(0, int.MaxValue)
        from node in Gen.Elements("", "a", "node-β", new string('n', 64))
        select new Ballot(round, node);

    private static readonly Gen<Block> Blocks =
        from height in Gen.Choose(1, int.MaxValue)
        from entries in Gen.Choose(0, 3)
        from node in Gen.Elements("a", "b")
        select Block.Create(height, Genesis.Hash, 5, node, Enumerable.Range(0, entries).Select(i => TestChains.Put($"e{i}-{height}", $"k{i}", "ü")).ToList());

    private static readonly Gen<long> Heights = Gen.Choose(0, int.MaxValue).Select(h => (long)h * 3);

    private static readonly Gen<IConsensusMessage> Messages = Gen.OneOf(
        from h in Heights from b in Ballots select (IConsensusMessage)new Prepare(h, b),
        from h in Heights from b in Ballots from hasAccepted in Gen.Elements(true, false) from ab in Ballots from block in Blocks
        select (IConsensusMessage)new Promise(h, b, hasAccepted ? ab : null, hasAccepted ? block : null),
        from h in Heights from b in Ballots from block in Blocks from next in Gen.Elements(true, false) select (IConsensusMessage)new Accept(h, b, block, next),
        from h in Heights from b in Ballots select (IConsensusMessage)new Accepted(h, b),
        from h in Heights from b in Ballots from nb in Ballots from hasBallot in Gen.Elements(true, false) from hasBlock in Gen.Elements(true, false) from block in Blocks
        select (IConsensusMessage)new Accepted(h, b, new NextPromise(hasBallot ? nb : null, hasBlock ? block : null)),
        from h in Heights from b in Ballots from higher in Ballots from reason in Gen.Elements(RejectReason.BallotTooLow, RejectReason.InvalidBlock)
        select (IConsensusMessage)new Reject(h, b, higher, reason),
        from h in Heights from block in Blocks select (IConsensusMessage)new AlreadyDecided(h, block),
        from h in Heights from b in Ballots from head in Heights select (IConsensusMessage)new Behind(h, b, head),
        from h in Heights from block in Blocks select (IConsensusMessage)new Decided(h, block),
        from h in Heights from b in Ballots from block in Blocks select (IConsensusMessage)new Chosen(h, b, block.Hash),
        from n in Gen.Choose(0, 4) select (IConsensusMessage)new MempoolForward(Enumerable.Range(0, n).Select(i => TestChains.Put($"f{i}", "k", new string('x', i * 7))).ToList()),
        from h in Heights from block in Blocks select (IConsensusMessage)new HeadStatus(h, block.Hash),
        from h in Heights from max in Gen.Choose(-5, 500) select (IConsensusMessage)new CatchUpRequest(h, max),
        from h in Heights from n in Gen.Choose(0, 3) from blocks in Gen.ListOf(Blocks, n) from head in Heights select (IConsensusMessage)new CatchUpBlocks(h, blocks.ToList(), head),
        from id in Heights select (IConsensusMessage)new ReadIndexQuery(id),
        from id in Heights from h in Heights select (IConsensusMessage)new ReadIndexReply(id, h));

    [Fact]
    public void Decode_OfEncode_IsTheSameMessageAndReencodesToTheSameBytes()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(Messages.ToArbitrary(), message =>
        {
            var bytes = ConsensusWire.Encode(message);
            var decoded = ConsensusWire.Decode(bytes);
            return bytes.Length == ConsensusWire.GetSize(message)
                && decoded.GetType() == message.GetType()
                && ConsensusWire.Encode(decoded).AsSpan().SequenceEqual(bytes)
                && Summary(decoded) == Summary(message);
        }));
    }

    [Fact]
    public void Registry_RoundTripsEveryMessageAloneAndInAPeerEnvelope()
    {
        var registry = new SerializerRegistry();
        ConsensusSerializers.Register(registry);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), Prop.ForAll(Messages.ToArbitrary(), message =>
        {
            var alone = registry.FromEnvelope(registry.ToEnvelope("r", "s", message));
            var wrapped = (PeerEnvelope)registry.FromEnvelope(registry.ToEnvelope<object>("r", "s", new PeerEnvelope("node-β", message)));
            return Summary((IConsensusMessage)alone) == Summary(message)
                && wrapped.From == "node-β"
                && Summary(wrapped.Message) == Summary(message);
        }));
    }

    [Fact]
    public void Decode_OfAnyTruncation_FailsWithRemoteFormatException()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100), Prop.ForAll(Messages.ToArbitrary(), message =>
        {
            var bytes = ConsensusWire.Encode(message);
            for (var length = 0; length < bytes.Length; length++)
            {
                try
                {
                    ConsensusWire.Decode(bytes.AsSpan(0, length));
                    return false;
                }
                catch (RemoteFormatException)
                {
                }
            }

            return true;
        }));
    }

    [Fact]
    public void Decode_OfRandomOrCorruptedBytes_EitherDecodesOrThrowsRemoteFormatException()
    {
        var corrupted =
            from message in Messages
            from seed in Gen.Choose(0, int.MaxValue)
            select Corrupt(ConsensusWire.Encode(message), new Random(seed));
        var bytes = Gen.OneOf(corrupted, ArbMap.Default.GeneratorFor<byte[]>());

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(bytes.ToArbitrary(), input =>
        {
            try
            {
                ConsensusWire.Decode(input);
            }
            catch (RemoteFormatException)
            {
            }

            return true;
        }));
    }

    [Fact]
    public void Decode_OfAHugeListCount_FailsBeforeAllocating()
    {
        byte[] bytes = [(byte)ConsensusMessageType.MempoolForward, 0xFF, 0xFF, 0xFF, 0x7F];

        var error = Assert.Throws<RemoteFormatException>(() => ConsensusWire.Decode(bytes));

        Assert.Contains("does not fit", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Corrupt(byte[] bytes, Random random)
    {
        var copy = (byte[])bytes.Clone();
        for (var i = random.Next(1, 4); i > 0 && copy.Length > 0; i--)
        {
            copy[random.Next(copy.Length)] = (byte)random.Next(256);
        }

        return copy;
    }

    // Records compare blocks and entries by reference; this compares what they carry.
    private static string Summary(IConsensusMessage message) => message switch
    {
        Promise m => $"promise {m.Height} {m.Ballot} {m.AcceptedBallot} {m.AcceptedBlock?.Hash}",
        Accept m => $"accept {m.Height} {m.Ballot} {m.Block.Hash} {m.PrepareNext}",
        Accepted m => $"accepted {m.Height} {m.Ballot} {m.Next is not null} {m.Next?.AcceptedBallot} {m.Next?.AcceptedBlock?.Hash}",
        AlreadyDecided m => $"already {m.Height} {m.Block.Hash}",
        Decided m => $"decided {m.Height} {m.Block.Hash}",
        MempoolForward m => $"forward {string.Join(",", m.Entries.Select(e => $"{e.Id}/{e.Kind}/{e.Origin}/{e.SubmittedAtUnixMs}/{Convert.ToHexString(e.Payload.Span)}"))}",
        CatchUpBlocks m => $"blocks {m.FromHeight} {m.SenderHead} {string.Join(",", m.Blocks.Select(b => b.Hash))}",
        _ => message.ToString()!,
    };
}
