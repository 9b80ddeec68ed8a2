using Microsoft.AspNetCore.Http;

namespace ActorChain.Gateway.Tests;

/// <summary>
/// <see cref="BoundedBody"/> returns exactly the bytes sent, declared or chunked, also when the transport hands
/// them over a few at a time, and refuses (null) every body over the limit whether it says so up front or not.
/// </summary>
public sealed class BoundedBodyTests
{
    private const int Limit = 100;

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(Limit, true)]
    [InlineData(0, false)]
    [InlineData(37, false)]
    [InlineData(Limit, false)]
    public async Task ABodyUpToTheLimit_IsReadWhole(int length, bool declared)
    {
        var sent = Bytes(length);
        var body = await BoundedBody.ReadAsync(Request(sent, declared ? length : null), Limit, CancellationToken.None);
        Assert.Equal(sent, body);
    }

    [Theory]
    [InlineData(Limit + 1, true)]
    [InlineData(Limit + 1, false)]
    [InlineData(50 * 1024, false)]
    public async Task ABodyOverTheLimit_IsRefused(int length, bool declared)
    {
        var body = await BoundedBody.ReadAsync(Request(Bytes(length), declared ? length : null), Limit, CancellationToken.None);
        Assert.Null(body);
    }

    [Fact]
    public async Task ADeclaredLengthUnderTheLimit_WithALongerStream_IsRefused()
    {
        var body = await BoundedBody.ReadAsync(Request(Bytes(20), declaredLength: 10), Limit, CancellationToken.None);
        Assert.Null(body);
    }

    [Fact]
    public async Task ABodyShorterThanItsDeclaredLength_IsABadRequest()
    {
        var error = await Assert.ThrowsAsync<BadHttpRequestException>(
            () => BoundedBody.ReadAsync(Request(Bytes(5), declaredLength: 10), Limit, CancellationToken.None));
        Assert.Contains("after 5 of its declared 10 bytes", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Bytes(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();

    private static HttpRequest Request(byte[] body, long? declaredLength)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new TrickleStream(body);
        context.Request.ContentLength = declaredLength;
        return context.Request;
    }

    // Hands out at most three bytes a read, as a slow connection would.
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 3));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 3)], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, 3), cancellationToken);
    }
}
