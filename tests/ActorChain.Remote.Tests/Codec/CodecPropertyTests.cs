using ActorChain.Remote.Framing;
using ActorChain.Remote.Handshake;
using ActorChain.Remote.Tests.Support;
using FsCheck;
using FsCheck.Fluent;

namespace ActorChain.Remote.Tests.Codec;

/// <summary>Hostile bytes: decoders either decode or throw RemoteFormatException, and always finish.</summary>
public sealed class CodecPropertyTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(500);

    private static Arbitrary<byte[]> Bytes => ArbMap.Default.ArbFor<byte[]>();

    /// <summary>Valid envelopes with one byte changed or cut short, to reach past the first length checks.</summary>
    private static Arbitrary<byte[]> DamagedEnvelopes =>
        Arb.From(
            from recipient in Gen.Elements("/user/a", "/user/chain/proposer", "/ü")
            from sender in Gen.Elements("", "/user/b")
            from payload in ArbMap.Default.ArbFor<byte[]>().Generator
            from position in Gen.Choose(0, 10_000)
            from value in Gen.Choose(0, 255)
            from cut in Gen.Choose(0, 3)
            select Damage(RemoteEnvelopeTests.Encode(new RemoteEnvelope(recipient, sender, 1, 9, payload)), position, (byte)value, cut));

    [Fact]
    public void FrameDecoder_OnRandomBytes_ThrowsOnlyItsOwnException_AndTerminates() =>
        Check.One(Config, Prop.ForAll(Bytes, static bytes =>
        {
            var buffer = Segments.Split(bytes, bytes.Length / 3, bytes.Length / 2);
            var frames = 0;
            try
            {
                while (FrameCodec.TryReadFrame(ref buffer, 4096, out _, out _))
                {
                    frames++;
                    if (frames > bytes.Length / FrameCodec.HeaderSize)
                    {
                        return false;
                    }
                }
            }
            catch (RemoteFormatException)
            {
            }

            return true;
        }));

    [Fact]
    public void EnvelopeDecoder_OnRandomBytes_ThrowsOnlyItsOwnException() =>
        Check.One(Config, Prop.ForAll(Bytes, static bytes => DecodesOrRefuses(() => RemoteEnvelope.Read(bytes))));

    [Fact]
    public void EnvelopeDecoder_OnDamagedEnvelopes_ThrowsOnlyItsOwnException() =>
        Check.One(Config, Prop.ForAll(DamagedEnvelopes, static bytes => DecodesOrRefuses(() => RemoteEnvelope.Read(bytes))));

    [Fact]
    public void HandshakeDecoder_OnRandomBytes_ThrowsOnlyItsOwnException() =>
        Check.One(Config, Prop.ForAll(Bytes, static bytes => DecodesOrRefuses(() => HandshakeHello.Read(bytes))));

    [Fact]
    public void Envelope_RoundTrips_ForAnyFields() =>
        Check.One(Config, Prop.ForAll(
            Arb.From(
                from recipient in ArbMap.Default.ArbFor<NonEmptyString>().Generator
                from sender in ArbMap.Default.ArbFor<string>().Generator
                from serializer in ArbMap.Default.ArbFor<ushort>().Generator
                from type in ArbMap.Default.ArbFor<int>().Generator
                from payload in ArbMap.Default.ArbFor<byte[]>().Generator
                select (recipient.Get, sender ?? "", serializer, type, payload)),
            static fields =>
            {
                var envelope = new RemoteEnvelope(fields.Get, fields.Item2, fields.serializer, fields.type, fields.payload);
                int size;
                try
                {
                    size = envelope.Size;
                }
                catch (ArgumentException)
                {
                    return true; // lone surrogates are not text; Size refuses them up front
                }

                var bytes = new byte[size];
                envelope.Write(bytes);
                return RemoteEnvelope.Read(bytes) == envelope;
            }));

    private static bool DecodesOrRefuses(Action decode)
    {
        try
        {
            decode();
        }
        catch (RemoteFormatException)
        {
        }

        return true;
    }

    private static byte[] Damage(byte[] bytes, int position, byte value, int cut)
    {
        if (bytes.Length == 0)
        {
            return bytes;
        }

        bytes[position % bytes.Length] = value;
        return cut == 0 ? bytes[..(position % bytes.Length)] : bytes;
    }
}
