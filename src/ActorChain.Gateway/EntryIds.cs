using System.Security.Cryptography;

namespace ActorChain.Gateway;

/// <summary>
/// Entry ids for writes that bring no Idempotency-Key: 128 random bits as 32 lower-case hex digits (the shape
/// of <c>Guid.ToString("N")</c>). They must stay unpredictable: a client that could guess another's next id
/// could commit first under it, and the other's write would be answered as that entry's retry. So they come
/// from the cryptographic generator, but through a per-thread buffer refilled 256 ids at a time: the runtime
/// reads the kernel's random device once per <c>Guid.NewGuid</c> here, one syscall on every such write.
/// </summary>
internal static class EntryIds
{
    private const int IdBytes = 16;
    private const int IdsPerRefill = 256;

    [ThreadStatic]
    private static byte[]? t_buffer;

    [ThreadStatic]
    private static int t_used;

    public static string New()
    {
        var buffer = t_buffer;
        if (buffer is null || t_used == buffer.Length)
        {
            buffer = t_buffer ??= new byte[IdBytes * IdsPerRefill];
            RandomNumberGenerator.Fill(buffer);
            t_used = 0;
        }

        var id = Convert.ToHexStringLower(buffer, t_used, IdBytes);
        // Handed-out bytes are wiped, so the buffer never holds an id that was already given out.
        Array.Clear(buffer, t_used, IdBytes);
        t_used += IdBytes;
        return id;
    }
}
