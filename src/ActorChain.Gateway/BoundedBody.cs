using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace ActorChain.Gateway;

/// <summary>
/// Reads a request body of at most a limit into one array. A body that declares its length is read straight
/// into an array of that length; only a chunked body goes through a pooled buffer. Every write goes through
/// here at saturation, and a fresh read buffer per request (it was 64 KB for a kv put) cost more CPU in
/// zeroing and garbage collection than the rest of the request's allocations together.
/// </summary>
internal static class BoundedBody
{
    private const int ChunkSize = 16 * 1024;

    /// <summary>The body, or null when it is (or declares to be) longer than <paramref name="limit"/> bytes.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (request.ContentLength is { } declared)
        {
            return declared > limit ? null : await ReadDeclaredAsync(request.Body, (int)declared, cancellationToken);
        }

        return await ReadChunkedAsync(request.Body, limit, cancellationToken);
    }

    private static async Task<byte[]?> ReadDeclaredAsync(Stream body, int length, CancellationToken cancellationToken)
    {
        var bytes = length == 0 ? [] : new byte[length];
        var filled = await body.ReadAtLeastAsync(bytes, length, throwOnEndOfStream: false, cancellationToken);
        if (filled < length)
        {
            throw new BadHttpRequestException($"The request body ended after {filled} of its declared {length} bytes.");
        }

        // Kestrel ends the body at its Content-Length; a stream that does not is longer than it declared.
        var probe = new byte[1];
        return await body.ReadAsync(probe, cancellationToken) == 0 ? bytes : null;
    }

    private static async Task<byte[]?> ReadChunkedAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            using var buffer = new MemoryStream();
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
