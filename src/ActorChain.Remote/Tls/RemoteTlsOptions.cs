namespace ActorChain.Remote.Tls;

/// <summary>
/// <c>actorchain.remote.tls</c>: mutual TLS between nodes. The certificate is either a PEM file (with
/// the key in <see cref="PrivateKeyPath"/>, or in the same file) or a PFX/PKCS#12 file.
/// </summary>
public sealed record RemoteTlsOptions
{
    public required string CertificatePath { get; init; }

    /// <summary>The PEM key of a PEM certificate; empty when the key sits in the certificate file or the file is a PFX.</summary>
    public string PrivateKeyPath { get; init; } = string.Empty;

    /// <summary>Of the PFX, or of an encrypted PEM key; empty when neither is encrypted.</summary>
    public string Password { get; init; } = string.Empty;

    /// <summary>PEM bundle of the CA(s) a peer's certificate must chain to; empty means the system's trust store.</summary>
    public string TrustedCaPath { get; init; } = string.Empty;

    /// <summary>When on, the accepting side refuses a dialing peer that presents no certificate.</summary>
    public bool RequireClientCertificate { get; init; } = true;

    /// <summary>Loads every file once and throws if one is missing or unusable, so settings validation can fail the node at startup.</summary>
    /// <exception cref="TlsConfigurationException">The message names the file and its setting.</exception>
    public void Validate() => _ = TlsCredentials.Load(this);
}
