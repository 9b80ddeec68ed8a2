namespace ActorChain.Chain;

/// <summary>Bytes that are not a block, entry or payload in the canonical layout.</summary>
public sealed class ChainFormatException : Exception
{
    public ChainFormatException(string message)
        : base(message)
    {
    }

    public ChainFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
