using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace ActorChain.Remote;

internal static class RemoteLimits
{
    /// <summary>Actor paths are short; a bound keeps a hostile envelope from costing more than a frame.</summary>
    public const int MaxPathBytes = 1024;

    /// <summary>Cluster ids, node ids and host names travel with a one-byte length.</summary>
    public const int MaxNameBytes = 255;

    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static int TextByteCount(string value, int maxBytes, string what)
    {
        int bytes;
        try
        {
            bytes = Utf8.GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            throw new ArgumentException($"The {what} is not valid Unicode text.");
        }

        if (bytes > maxBytes)
        {
            throw new ArgumentException($"The {what} is at most {maxBytes} UTF-8 bytes, not {bytes}.");
        }

        return bytes;
    }

    public static string DecodeText(ReadOnlySpan<byte> bytes, string what)
    {
        try
        {
            return Utf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            Fail($"the {what} is not valid UTF-8");
            return string.Empty;
        }
    }

    [DoesNotReturn]
    public static void Fail(string reason) => throw new RemoteFormatException(reason);
}
