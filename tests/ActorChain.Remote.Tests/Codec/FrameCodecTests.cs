using System.Buffers;
using ActorChain.Remote.Framing;
using ActorChain.Remote.Tests.Support;

namespace ActorChain.Remote.Tests.Codec;

public sealed class FrameCodecTests
{
    private const int Max = 1024 * 1024;

    [Fact]
    public void Frame_RoundTrips_TypeAndPayload()
    {
        var frame = RawPeer.Frame(FrameType.Envelope, [1, 2, 3]);
        var buffer = new ReadOnlySequence<byte>(frame);

        Assert.True(FrameCodec.TryReadFrame(ref buffer, Max, out var type, out var payload));

        Assert.Equal(FrameType.Envelope, type);
        Assert.Equal([1, 2, 3], payload.ToArray());
        Assert.Equal(0, buffer.Length);
        Assert.Equal([4, 0, 0, 0, (byte)FrameType.Envelope, 1, 2, 3], frame);
    }

    [Fact]
    public void Frame_SplitAcrossSegments_IsReadWhole()
    {
        var frame = RawPeer.Frame(FrameType.Envelope, [.. Enumerable.Range(0, 50).Select(static i => (byte)i)]);
        var buffer = Segments.Split(frame, 1, 2, 3, 7);

        Assert.True(FrameCodec.TryReadFrame(ref buffer, Max, out _, out var payload));

        Assert.Equal(frame[FrameCodec.HeaderSize..], payload.ToArray());
    }

    [Fact]
    public void Frame_NotYetComplete_AsksForMoreBytes()
    {
        var frame = RawPeer.Frame(FrameType.Heartbeat, [9, 9]);
        for (var length = 0; length < frame.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(frame, 0, length);
            Assert.False(FrameCodec.TryReadFrame(ref buffer, Max, out _, out _));
            Assert.Equal(length, buffer.Length);
        }
    }

    [Fact]
    public void Frame_AnnouncingMoreThanTheLimit_IsRefusedFromItsHeaderAlone()
    {
        // Only the four length bytes exist: the refusal cannot have waited for or allocated the payload.
        var header = new byte[] { 0, 0, 0xA0, 0 };
        var buffer = new ReadOnlySequence<byte>(header);

        var error = Assert.Throws<RemoteFormatException>(() => FrameCodec.TryReadFrame(ref buffer, Max, out _, out _));

        Assert.Equal(FrameError.Oversized, error.FrameError);
    }

    [Fact]
    public void Frame_OfExactlyTheLimit_IsAccepted()
    {
        var frame = RawPeer.Frame(FrameType.Envelope, new byte[1023]);
        var buffer = new ReadOnlySequence<byte>(frame);

        Assert.True(FrameCodec.TryReadFrame(ref buffer, 1024, out _, out var payload));
        Assert.Equal(1023, payload.Length);
    }

    [Fact]
    public void Frame_WithZeroLength_IsRefused()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 0, 0, 0, 0, 3 });

        var error = Assert.Throws<RemoteFormatException>(() => FrameCodec.TryReadFrame(ref buffer, Max, out _, out _));

        Assert.Equal(FrameError.Empty, error.FrameError);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(255)]
    public void Frame_WithUnknownType_IsRefusedBeforeItsPayloadArrives(byte type)
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 100, 0, 0, 0, type });

        var error = Assert.Throws<RemoteFormatException>(() => FrameCodec.TryReadFrame(ref buffer, Max, out _, out _));

        Assert.Equal(FrameError.UnknownType, error.FrameError);
    }

    [Fact]
    public void Frames_BackToBack_AreReadOneAtATime()
    {
        byte[] both = [.. RawPeer.Frame(FrameType.Heartbeat, []), .. RawPeer.Frame(FrameType.Envelope, [5])];
        var buffer = new ReadOnlySequence<byte>(both);

        Assert.True(FrameCodec.TryReadFrame(ref buffer, Max, out var first, out _));
        Assert.True(FrameCodec.TryReadFrame(ref buffer, Max, out var second, out var payload));
        Assert.False(FrameCodec.TryReadFrame(ref buffer, Max, out _, out _));

        Assert.Equal(FrameType.Heartbeat, first);
        Assert.Equal(FrameType.Envelope, second);
        Assert.Equal([5], payload.ToArray());
    }
}
