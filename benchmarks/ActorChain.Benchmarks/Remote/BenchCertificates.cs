using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ActorChain.Remote.Tls;

namespace ActorChain.Benchmarks.Remote;

/// <summary>A throwaway CA (ECDSA P-256) and node certificates as PEM files, for benchmarking remoting over TLS.</summary>
internal sealed class BenchCertificates : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actorchain-bench-tls-").FullName;
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _ca;

    public BenchCertificates()
    {
        var request = new CertificateRequest("CN=bench-ca", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(Path.Combine(_directory, "ca.pem"), _ca.ExportCertificatePem());
    }

    public RemoteTlsOptions For(string nodeId)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={nodeId}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.Create(_ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7), RandomNumberGenerator.GetBytes(8));
        var stem = Path.Combine(_directory, nodeId);
        File.WriteAllText(stem + ".crt.pem", certificate.ExportCertificatePem());
        File.WriteAllText(stem + ".key.pem", key.ExportPkcs8PrivateKeyPem());
        return new RemoteTlsOptions { CertificatePath = stem + ".crt.pem", PrivateKeyPath = stem + ".key.pem", TrustedCaPath = Path.Combine(_directory, "ca.pem") };
    }

    public void Dispose()
    {
        _ca.Dispose();
        _caKey.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
