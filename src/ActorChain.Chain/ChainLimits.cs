using System.Text;

namespace ActorChain.Chain;

internal static class ChainLimits
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static Encoding Utf8 => StrictUtf8;

    public static void ValidateText(string value, int maxBytes, string what)
    {
        ArgumentNullException.ThrowIfNull(value, what);
        if (value.Length == 0)
        {
            throw new ArgumentException($"The {what} must not be empty.");
        }

        int bytes;
        try
        {
            bytes = StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            throw new ArgumentException($"The {what} is not valid Unicode text.");
        }

        if (bytes > maxBytes)
        {
            throw new ArgumentException($"The {what} is at most {maxBytes} UTF-8 bytes, not {bytes}.");
        }
    }
}
