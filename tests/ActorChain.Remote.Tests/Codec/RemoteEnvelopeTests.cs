namespace ActorChain.Remote.Tests.Codec;

public sealed class RemoteEnvelopeTests
{
    [Fact]
    public void Envelope_RoundTrips_EveryField()
    {
        var envelope = new RemoteEnvelope("/user/chain", "/user/proposer-7", 2, 1234, new byte[] { 1, 2, 3 });
        var bytes = new byte[envelope.Size];

        Assert.Equal(bytes.Length, envelope.Write(bytes));
        var read = RemoteEnvelope.Read(bytes);

        Assert.Equal(envelope, read);
        Assert.Equal("/user/chain", read.Recipient);
        Assert.Equal("/user/proposer-7", read.Sender);
        Assert.Equal(2, read.SerializerId);
        Assert.Equal(1234, read.TypeId);
    }

    [Fact]
    public void Envelope_WithoutSenderOrPayload_RoundTrips()
    {
        var envelope = new RemoteEnvelope("/user/x", "", 1, 0, ReadOnlyMemory<byte>.Empty);
        var bytes = new byte[envelope.Size];
        envelope.Write(bytes);

        Assert.Equal(envelope, RemoteEnvelope.Read(bytes));
    }

    [Fact]
    public void Envelope_WithNonAsciiPaths_RoundTrips()
    {
        var envelope = new RemoteEnvelope("/user/fotoalbum-ä-日本", "/user/ø", 1, 5, new byte[] { 9 });
        var bytes = new byte[envelope.Size];
        envelope.Write(bytes);

        Assert.Equal(envelope, RemoteEnvelope.Read(bytes));
    }

    [Fact]
    public void Envelope_WithEmptyRecipient_CannotBeWritten() =>
        Assert.Throws<ArgumentException>(() => new RemoteEnvelope("", "", 1, 1, ReadOnlyMemory<byte>.Empty).Size);

    [Fact]
    public void Envelope_WithRecipientOverTheLimit_CannotBeWritten() =>
        Assert.Throws<ArgumentException>(() => new RemoteEnvelope(new string('a', 1025), "", 1, 1, ReadOnlyMemory<byte>.Empty).Size);

    [Fact]
    public void Envelope_IntoTooSmallABuffer_IsRefused()
    {
        var envelope = new RemoteEnvelope("/user/x", "", 1, 1, new byte[10]);

        Assert.Throws<ArgumentException>(() => envelope.Write(new byte[envelope.Size - 1]));
    }

    [Fact]
    public void Envelope_TruncatedAnywhere_IsRefused()
    {
        var bytes = Encode(new RemoteEnvelope("/user/x", "/user/y", 1, 1, new byte[] { 1, 2, 3 }));
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<RemoteFormatException>(() => RemoteEnvelope.Read(bytes.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Envelope_WithTrailingBytes_IsRefused()
    {
        byte[] bytes = [.. Encode(new RemoteEnvelope("/user/x", "", 1, 1, new byte[] { 1 })), 0];

        Assert.Throws<RemoteFormatException>(() => RemoteEnvelope.Read(bytes));
    }

    [Fact]
    public void Envelope_WithRecipientLengthOverTheLimit_IsRefusedBeforeReadingIt()
    {
        byte[] bytes = [0x01, 0x08, .. new byte[10]];

        var error = Assert.Throws<RemoteFormatException>(() => RemoteEnvelope.Read(bytes));
        Assert.Contains("limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Envelope_WithNegativePayloadLength_IsRefused()
    {
        var bytes = Encode(new RemoteEnvelope("/u", "", 1, 1, ReadOnlyMemory<byte>.Empty));
        bytes.AsSpan(bytes.Length - 4).Fill(0xFF);

        Assert.Throws<RemoteFormatException>(() => RemoteEnvelope.Read(bytes));
    }

    [Fact]
    public void Envelope_WithInvalidUtf8Path_IsRefused()
    {
        byte[] bytes = [2, 0, 0xC3, 0x28, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0];

        Assert.Throws<RemoteFormatException>(() => RemoteEnvelope.Read(bytes));
    }

    [Fact]
    public void Envelope_ThatIsInvalid_StillPrints() =>
        Assert.Contains("Payload = 0 bytes", default(RemoteEnvelope).ToString(), StringComparison.Ordinal);

    [Fact]
    public void Envelope_Read_CopiesThePayload()
    {
        var bytes = Encode(new RemoteEnvelope("/u", "", 1, 1, new byte[] { 7 }));
        var read = RemoteEnvelope.Read(bytes);

        bytes[^1] = 8;

        Assert.Equal(7, read.Payload.Span[0]);
    }

    internal static byte[] Encode(RemoteEnvelope envelope)
    {
        var bytes = new byte[envelope.Size];
        envelope.Write(bytes);
        return bytes;
    }
}
