using ActorChain.Remote.Framing;

namespace ActorChain.Remote;

/// <summary>
/// Bytes from the wire that are not a valid frame, handshake or envelope. The codecs throw nothing
/// else for bad input, so a connection can treat this one type as "close and log".
/// </summary>
public sealed class RemoteFormatException : Exception
{
    public RemoteFormatException(string message)
        : base(message)
    {
    }

    public RemoteFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }

    internal RemoteFormatException(string message, FrameError frameError)
        : base(message)
    {
        FrameError = frameError;
    }

    /// <summary>Which frame-header rule failed, or None when the payload was bad.</summary>
    internal FrameError FrameError { get; }
}
