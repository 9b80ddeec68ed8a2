namespace ActorChain.Remote.Tls;

/// <summary>A TLS file named in the settings is missing, unreadable or unusable; <see cref="FilePath"/> names it.</summary>
public sealed class TlsConfigurationException : Exception
{
    public TlsConfigurationException(string message, string filePath, Exception? inner = null)
        : base(message, inner)
    {
        FilePath = filePath;
    }

    public string FilePath { get; }
}
