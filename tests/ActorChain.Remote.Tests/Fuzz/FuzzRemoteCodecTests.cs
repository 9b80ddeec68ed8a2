using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ActorChain.Actors;
using ActorChain.Remote.Actors;
using ActorChain.Remote.Framing;
using ActorChain.Remote.Handshake;
using ActorChain.Remote.Serialization;
using ActorChain.Remote.Tests.Support;
using ActorChain.Remote.Tests.Transport;
using ActorChain.Tests.Fuzz;
using Xunit.Abstractions;

namespace ActorChain.Remote.Tests.Fuzz;

/// <summary>
/// Every decoder of the remoting layer under random and mutated input: frames (at the handshake and
/// the normal limit), hellos, proofs, envelopes and the remoting protocol's own messages. Each may
/// only refuse with <see cref="RemoteFormatException"/>, never allocate more than max-frame-size, and
/// always return.
/// </summary>
[Collection(nameof(AllocationSensitive))]
public sealed class FuzzRemoteCodecTests(ITestOutputHelper output)
{
    private const int NormalCases = 4000;

    private static readonly HandshakeHello Hello =
        new(1, "demo", "n1", new RemoteAddress("127.0.0.1", 4053), 1, Enumerable.Range(0, 32).Select(static i => (byte)i).ToArray());

    private static readonly HandshakeHello Peer =
        new(1, "demo", "n2", new RemoteAddress("node-2.example", 4054), ulong.MaxValue, Enumerable.Range(32, 32).Select(static i => (byte)i).ToArray());

    private static readonly byte[] Secret = "0123456789abcdef"u8.ToArray();

    [Fact]
    public async Task RemoteDecoders_OnMutatedInput_OnlyThrowRemoteFormatException_AndStayWithinTheFrameLimit()
    {
        var report = await FuzzEngine.RunAsync(Targets(), FuzzEngine.Cases(NormalCases));

        output.WriteLine(report.ToString());
        Assert.True(report.Rejected > 0, "no mutated input was refused: the mutations reach nothing");
    }

    [Fact]
    public void FuzzEngine_ReportsACrashOtherThanTheFormatException()
    {
        var crashing = new FuzzTarget("crashes on a zero first byte", [[1, 2, 3]], static input =>
        {
            if (input.Length > 0 && input[0] == 0)
            {
                throw new IndexOutOfRangeException();
            }
        }, static ex => ex is RemoteFormatException);

        var failure = Assert.Throws<FuzzFailure>(() => FuzzEngine.Run(crashing, 2000));

        Assert.Contains("IndexOutOfRangeException", failure.Message, StringComparison.Ordinal);
        Assert.Contains("input (", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FuzzEngine_ReportsADecodeThatTrustsALengthField()
    {
        var trusting = new FuzzTarget("allocates what the first int says", [[4, 0, 0, 0]], static input =>
        {
            var length = input.Length >= 4 ? BitConverter.ToInt32(input) : 0;
            _ = new byte[Math.Clamp(length, 0, 64 * 1024 * 1024)];
        }, static _ => true);

        var failure = Assert.Throws<FuzzFailure>(() => FuzzEngine.Run(trusting, 2000));

        Assert.Contains("allocated", failure.Message, StringComparison.Ordinal);
    }

    internal static IEnumerable<FuzzTarget> Targets()
    {
        yield return Frames("frames (handshake limit 1024)", 1024);
        yield return Frames("frames (max-frame-size 4 MiB)", FrameCodec.DefaultMaxFrameSize);
        yield return new FuzzTarget("handshake hello", [Encode(Hello), Encode(Peer)], static input =>
        {
            if (HandshakeHello.ReadVersion(input) == HandshakeHello.CurrentVersion)
            {
                _ = HandshakeHello.Read(input);
            }
        }, IsRemoteFormat);
        yield return new FuzzTarget("handshake proof", [HandshakeProof.Compute(Secret, "demo", Hello, Peer)], static input =>
        {
            if (HandshakeProof.Verify(Secret, "demo", Hello, Peer, input) && !input.SequenceEqual(HandshakeProof.Compute(Secret, "demo", Hello, Peer)))
            {
                throw new InvalidOperationException("a proof other than the right one verified");
            }
        }, IsRemoteFormat);
        yield return new FuzzTarget("envelope", [.. Envelopes().Select(Encode)], static input => RemoteEnvelope.Read(input), IsRemoteFormat);

        var registry = new SerializerRegistry();
        RemotingProtocol.RegisterOn(registry);
        registry.RegisterJson(FuzzJson.TypeId, FuzzJsonContext.Default.FuzzJson);
        foreach (var (name, message) in RemotingMessages())
        {
            var envelope = registry.ToEnvelope("/user/x", string.Empty, message);
            yield return new FuzzTarget(
                $"remoting message {name} (type {envelope.TypeId})",
                [envelope.Payload.ToArray()],
                input => registry.FromEnvelope(envelope with { Payload = input.ToArray() }),
                IsRegistryFormat);
        }
    }

    /// <summary>The registry wraps whatever a serializer throws; only a wrapped format exception is a refusal, anything else was a crash.</summary>
    internal static bool IsRegistryFormat(Exception ex)
    {
        if (ex is not RemoteFormatException)
        {
            return false;
        }

        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            // System.Text.Json documents JsonException for bad input, with its own reader's exception inside.
            if (inner is JsonException)
            {
                return true;
            }

            if (inner is not RemoteFormatException)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsRemoteFormat(Exception ex) => ex is RemoteFormatException && ex.InnerException is null or RemoteFormatException or DecoderFallbackException;

    private static FuzzTarget Frames(string name, int maxFrameSize)
    {
        byte[] all =
        [
            .. RawPeer.Frame(FrameType.Handshake, Encode(Hello)),
            .. RawPeer.Frame(FrameType.HandshakeAck, new byte[32]),
            .. RawPeer.Frame(FrameType.Select, []),
            .. RawPeer.Frame(FrameType.Envelope, Encode(Envelopes()[0])),
            .. RawPeer.Frame(FrameType.Heartbeat, []),
            .. RawPeer.Frame(FrameType.Close, []),
        ];
        return new FuzzTarget(name, [all, RawPeer.Frame(FrameType.Envelope, Encode(Envelopes()[1]))], input =>
        {
            // As the connection reads: frames one after another, then the rest waits for more bytes;
            // once contiguous, once cut into the small pieces a pipe hands out when bytes trickle in.
            var bytes = input.ToArray();
            ReadAll(new ReadOnlySequence<byte>(bytes), maxFrameSize);
            ReadAll(Segments.Split(bytes, [.. Enumerable.Range(1, bytes.Length / 3).Select(static i => (i * 3) + (i % 2))]), maxFrameSize);
        }, IsRemoteFormat);
    }

    private static void ReadAll(ReadOnlySequence<byte> buffer, int maxFrameSize)
    {
        while (FrameCodec.TryReadFrame(ref buffer, maxFrameSize, out var type, out var payload))
        {
            if (!FrameCodec.IsKnown(type) || payload.Length > maxFrameSize)
            {
                throw new InvalidOperationException($"a {type} frame of {payload.Length} bytes passed the header checks");
            }
        }
    }

    private static RemoteEnvelope[] Envelopes() =>
    [
        new("/user/chain", string.Empty, 1, 7, "hi"u8.ToArray()),
        new("/user/ünïcode/path", "/user/sender", 2, -2200, Enumerable.Range(0, 300).Select(static i => (byte)i).ToArray()),
    ];

    private static IEnumerable<(string Name, object Message)> RemotingMessages()
    {
        yield return ("watch", RemotingProtocol.RemoteWatch.Instance);
        yield return ("unwatch", RemotingProtocol.RemoteUnwatch.Instance);
        yield return ("death watch notification", new RemotingProtocol.RemoteDeathWatchNotification(true));
        yield return ("status failure", new Status.Failure(new InvalidOperationException("the ledger refused it: ünïcode")));
        yield return ("json message", new FuzzJson("n1", 42, "ab12"));
    }

    private static byte[] Encode(HandshakeHello hello)
    {
        var bytes = new byte[hello.Size];
        hello.Write(bytes);
        return bytes;
    }

    private static byte[] Encode(RemoteEnvelope envelope)
    {
        var bytes = new byte[envelope.Size];
        envelope.Write(bytes);
        return bytes;
    }
}

/// <summary>A JSON-serialized message shaped like the node's head gossip (type 900): string, number, string.</summary>
internal sealed record FuzzJson(string NodeId, long Height, string Hash)
{
    public const int TypeId = 12345;
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(FuzzJson))]
internal sealed partial class FuzzJsonContext : JsonSerializerContext;
