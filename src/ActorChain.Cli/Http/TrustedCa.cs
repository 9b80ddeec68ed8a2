using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorChain.Cli.Http;

/// <summary>
/// The private CA of <c>--ca-cert</c>: a node's HTTPS certificate must chain to one of these certificates and
/// to nothing else (the system's roots do not count), and its names must still match the host in <c>--node</c>.
/// </summary>
internal sealed class TrustedCa : IDisposable
{
    private TrustedCa(string path, X509Certificate2Collection certificates)
    {
        Path = path;
        Certificates = certificates;
    }

    public string Path { get; }

    public X509Certificate2Collection Certificates { get; }

    /// <summary>Reads every certificate of a PEM file; anything else (no file, no certificate in it) is a usage error naming the file.</summary>
    public static TrustedCa Load(string path)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--ca-cert {path}: cannot read the file ({e.Message.TrimEnd('.')}).");
        }
        catch (CryptographicException e)
        {
            throw new UsageException($"--ca-cert {path}: not a PEM certificate file ({e.Message.TrimEnd('.')}).");
        }

        if (certificates.Count == 0)
        {
            throw new UsageException($"--ca-cert {path}: no readable PEM certificate (-----BEGIN CERTIFICATE-----) in the file.");
        }

        return new TrustedCa(path, certificates);
    }

    /// <summary>Makes <paramref name="handler"/> trust this CA only; a fresh policy per handler, since a policy is mutable.</summary>
    public void Apply(SocketsHttpHandler handler)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            // A private CA rarely publishes revocation lists; an online check would fail every connection.
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.AddRange(Certificates);
        handler.SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy };
    }

    public void Dispose()
    {
        foreach (var certificate in Certificates)
        {
            certificate.Dispose();
        }
    }
}
