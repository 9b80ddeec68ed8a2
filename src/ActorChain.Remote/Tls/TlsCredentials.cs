using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorChain.Remote.Tls;

/// <summary>
/// The node's certificate and the CAs it trusts, loaded once at start so a bad file fails the node
/// at startup rather than at the first connection.
/// </summary>
internal sealed class TlsCredentials
{
    private const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    private readonly SslStreamCertificateContext _context;
    private readonly X509Certificate2Collection? _trusted;
    private readonly bool _requireClientCertificate;

    private TlsCredentials(SslStreamCertificateContext context, X509Certificate2Collection? trusted, bool requireClientCertificate)
    {
        _context = context;
        _trusted = trusted;
        _requireClientCertificate = requireClientCertificate;
    }

    public X509Certificate2 Certificate => _context.TargetCertificate;

    /// <exception cref="TlsConfigurationException">A file is missing, unreadable, or holds no usable certificate or key.</exception>
    public static TlsCredentials Load(RemoteTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (leaf, intermediates) = CertificateFiles.Load(options.CertificatePath, options.PrivateKeyPath, options.Password, "actorchain.remote.tls");
        var trusted = string.IsNullOrWhiteSpace(options.TrustedCaPath) ? null : LoadTrusted(options.TrustedCaPath);
        return new TlsCredentials(SslStreamCertificateContext.Create(leaf, intermediates, offline: true), trusted, options.RequireClientCertificate);
    }

    /// <summary>
    /// Runs the TLS handshake on <paramref name="stream"/>. Returns the authenticated stream, or null and
    /// the reason when the peer is refused (untrusted or missing certificate, not TLS at all, timeout).
    /// </summary>
    public async Task<(SslStream? Stream, string? Refusal)> AuthenticateAsync(Stream stream, bool asClient, string targetHost, CancellationToken cancellationToken)
    {
        string? verdict = null;
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            verdict = Judge(certificate, chain, errors, asClient);
            return verdict is null;
        }

        try
        {
            if (asClient)
            {
                await ssl.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions
                    {
                        TargetHost = targetHost,
                        ClientCertificateContext = _context,
                        EnabledSslProtocols = Protocols,
                        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                        CertificateChainPolicy = ChainPolicy(),
                        RemoteCertificateValidationCallback = Validate,
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ssl.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = _context,
                        ClientCertificateRequired = _requireClientCertificate,
                        EnabledSslProtocols = Protocols,
                        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                        CertificateChainPolicy = ChainPolicy(),
                        RemoteCertificateValidationCallback = Validate,
                    },
                    cancellationToken).ConfigureAwait(false);
            }

            return (ssl, null);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            var reason = verdict
                ?? (ex is OperationCanceledException ? "no TLS handshake within the handshake timeout" : $"TLS handshake failed: {ex.Message}");
            return (null, reason);
        }
    }

    // The peer's name is not checked: a node's identity is its node id, proven by the shared-secret
    // handshake that runs inside TLS; the certificate proves the peer belongs to the cluster's CA.
    private string? Judge(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, bool asClient)
    {
        if (certificate is null)
        {
            return !asClient && !_requireClientCertificate
                ? null
                : "the peer presented no certificate";
        }

        if ((errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None)
        {
            return null;
        }

        var status = chain is null
            ? string.Empty
            : string.Join("; ", chain.ChainStatus.Select(static s => $"{s.Status}: {s.StatusInformation.Trim()}"));
        var anchor = _trusted is null ? "the system trust store" : "actorchain.remote.tls.trusted-ca";
        return $"the peer's certificate '{certificate.Subject}' does not chain to {anchor} ({errors}{(status.Length > 0 ? $"; {status}" : string.Empty)})";
    }

    private X509ChainPolicy ChainPolicy()
    {
        var policy = new X509ChainPolicy { RevocationMode = X509RevocationMode.NoCheck };
        if (_trusted is not null)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(_trusted);
        }

        return policy;
    }

    private static X509Certificate2Collection LoadTrusted(string configured)
    {
        var path = CertificateFiles.RequireFile(configured, "actorchain.remote.tls.trusted-ca");
        var trusted = new X509Certificate2Collection();
        try
        {
            trusted.ImportFromPemFile(path);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new TlsConfigurationException($"the TLS trusted-ca file '{path}' cannot be read: {ex.Message}", path, ex);
        }

        return trusted.Count > 0
            ? trusted
            : throw new TlsConfigurationException($"the TLS trusted-ca file '{path}' holds no PEM certificate.", path);
    }
}
