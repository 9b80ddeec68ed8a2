namespace ActorChain.Hocon;

/// <summary>
/// A HOCON document could not be parsed or resolved, or a typed getter found a value of the wrong
/// shape. The message starts with <c>file:line:column:</c> so editors and terminals can jump to it
/// (just <c>file:</c> when the whole file is at fault, with <see cref="Line"/> 0).
/// </summary>
public sealed class HoconException : Exception
{
    internal HoconException(HoconOrigin origin, string reason)
        : base($"{origin}: {reason}")
    {
        FileName = origin.FileName;
        Line = origin.Line;
        Column = origin.Column;
        Reason = reason;
    }

    public string FileName { get; }

    public int Line { get; }

    public int Column { get; }

    /// <summary>The message without the location prefix.</summary>
    public string Reason { get; }
}
