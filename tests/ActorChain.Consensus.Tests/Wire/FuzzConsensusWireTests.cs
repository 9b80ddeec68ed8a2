using ActorChain.Chain;
using ActorChain.Consensus.Paxos;
using ActorChain.Consensus.Wire;
using ActorChain.Remote;
using ActorChain.Remote.Serialization;
using ActorChain.Tests.Fuzz;
using Xunit.Abstractions;
using static ActorChain.Consensus.Actors.ChainPeerProtocol;
using static ActorChain.Consensus.Node.ConsensusProtocol;
using static ActorChain.Consensus.Paxos.PaxosProtocol;

namespace ActorChain.Consensus.Tests.Wire;

/// <summary>
/// Every consensus wire message (type ids 500–599), alone and in a peer envelope, and the acceptor's
/// durable record, under random and mutated input. The wire may only refuse with
/// <see cref="RemoteFormatException"/> (through the registry: one wrapping nothing but format
/// exceptions), the record with <see cref="FormatException"/>; no decode may allocate more than
/// max-frame-size or fail to return. FuzzEngine.cs links the shared engine.
/// </summary>
public sealed class FuzzConsensusWireTests(ITestOutputHelper output)
{
    private const int NormalCases = 2500;

    private static readonly Block Genesis = TestChains.Genesis("a", "b", "c");

    [Fact]
    public async Task ConsensusDecoders_OnMutatedInput_OnlyThrowTheirFormatException_AndStayWithinTheFrameLimit()
    {
        var report = await FuzzEngine.RunAsync(Targets(), FuzzEngine.Cases(NormalCases));

        output.WriteLine(report.ToString());
        Assert.True(report.Rejected > 0, "no mutated input was refused: the mutations reach nothing");
    }

    private static IEnumerable<FuzzTarget> Targets()
    {
        var registry = new SerializerRegistry();
        ConsensusSerializers.Register(registry);
        foreach (var group in Messages().GroupBy(static m => m.GetType()))
        {
            var seeds = group.Select(ConsensusWire.Encode).ToArray();
            yield return new FuzzTarget($"wire {group.Key.Name}", seeds, static input => ConsensusWire.Decode(input), IsRemoteFormat);

            var envelope = registry.ToEnvelope("/user/chain", string.Empty, group.First());
            yield return new FuzzTarget(
                $"registry {group.Key.Name} (type {envelope.TypeId})",
                [.. group.Select(m => registry.ToEnvelope("/user/chain", string.Empty, m).Payload.ToArray())],
                input => registry.FromEnvelope(envelope with { Payload = input.ToArray() }),
                IsRegistryFormat);
        }

        var peer = registry.ToEnvelope<object>("/user/chain", string.Empty, new PeerEnvelope("node-β", Messages().First()));
        yield return new FuzzTarget(
            $"registry PeerEnvelope (type {peer.TypeId})",
            [.. Messages().Select(m => registry.ToEnvelope<object>("/user/chain", string.Empty, new PeerEnvelope("node-β", m)).Payload.ToArray())],
            input => registry.FromEnvelope(peer with { Payload = input.ToArray() }),
            IsRegistryFormat);

        var ballot = new Ballot(7, "node-b");
        yield return new FuzzTarget(
            "acceptor record",
            [
                AcceptorRecord.Promised(3, ballot).Encode(),
                AcceptorRecord.Accepted(1, ballot, Block(1, 3)).Encode(),
                AcceptorRecord.RoundUsed(ballot).Encode(),
            ],
            static input => AcceptorRecord.Decode(input),
            static ex => ex is FormatException);
    }

    private static bool IsRemoteFormat(Exception ex) => ex is RemoteFormatException && ex.InnerException is null or RemoteFormatException or ChainFormatException;

    private static bool IsRegistryFormat(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is not (RemoteFormatException or ChainFormatException))
            {
                return false;
            }
        }

        return true;
    }

    private static Block Block(long height, int entries) =>
        Chain.Block.Create(height, Genesis.Hash, 5, "a", [.. Enumerable.Range(0, entries).Select(i => TestChains.Put($"e{i}-{height}", $"k{i}", "ü"))]);

    private static IEnumerable<IConsensusMessage> Messages()
    {
        var ballot = new Ballot(5, "node-a");
        var higher = new Ballot(9, new string('n', 64));
        yield return new Prepare(1, ballot);
        yield return new Promise(1, ballot, null, null);
        yield return new Promise(2, ballot, higher, Block(2, 2));
        yield return new Accept(1, ballot, Block(1, 3));
        yield return new Accepted(1, ballot);
        yield return new Reject(1, ballot, higher, RejectReason.BallotTooLow);
        yield return new AlreadyDecided(1, Block(1, 1));
        yield return new Behind(4, ballot, 2);
        yield return new Decided(1, Block(1, 2));
        yield return new MempoolForward([TestChains.Put("f1", "k", "v"), TestChains.Put("f2", "ключ", new string('x', 40))]);
        yield return new MempoolForward([]);
        yield return new HeadStatus(3, Genesis.Hash);
        yield return new CatchUpRequest(1, 64);
        yield return new CatchUpBlocks(1, [Block(1, 1), Block(2, 0)], 2);
        yield return new ReadIndexQuery(77);
        yield return new ReadIndexReply(77, 3);
    }
}
