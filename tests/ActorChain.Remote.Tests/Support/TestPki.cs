using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ActorChain.Remote.Tls;

namespace ActorChain.Remote.Tests.Support;

/// <summary>
/// A throwaway certificate authority (ECDSA P-256) and node certificates it signs, written as PEM
/// files to a temp directory, the way an operator would hand them to a node.
/// </summary>
internal sealed class TestPki
{
    private static readonly Lazy<TestPki> SharedPki = new(() => new TestPki("cluster-ca"));
    private static readonly Lazy<TestPki> OtherPki = new(() => new TestPki("other-ca"));

    private readonly X509Certificate2 _ca;
    private readonly ECDsa _caKey;
    private int _issued;

    public TestPki(string name)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory($"actorchain-tls-{name}-").FullName;
        _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        CaPath = Path.Combine(Directory, "ca.pem");
        File.WriteAllText(CaPath, _ca.ExportCertificatePem());
    }

    /// <summary>The CA every test node trusts.</summary>
    public static TestPki Cluster => SharedPki.Value;

    /// <summary>A second, unrelated CA: its certificates must be refused by the cluster's nodes.</summary>
    public static TestPki Other => OtherPki.Value;

    public string Directory { get; }

    public string CaPath { get; }

    /// <summary>Issues a node certificate for 127.0.0.1/localhost; returns the PEM certificate and key paths.</summary>
    public (string CertificatePath, string KeyPath) Issue(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        // One number per call: tests issuing at once for the same subject must not share (and overwrite) files.
        var issued = Interlocked.Increment(ref _issued);
        var serial = BitConverter.GetBytes(issued + Environment.TickCount64);
        using var certificate = request.Create(_ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), serial);
        var stem = Path.Combine(Directory, $"{subject}-{issued}");
        File.WriteAllText(stem + ".crt.pem", certificate.ExportCertificatePem());
        File.WriteAllText(stem + ".key.pem", key.ExportPkcs8PrivateKeyPem());
        return (stem + ".crt.pem", stem + ".key.pem");
    }

    /// <summary>TLS options for a node whose certificate this CA issued and which trusts <paramref name="trusted"/> (default: this CA).</summary>
    public RemoteTlsOptions Options(string subject, TestPki? trusted = null, bool requireClientCertificate = true)
    {
        var (certificate, key) = Issue(subject);
        return new RemoteTlsOptions
        {
            CertificatePath = certificate,
            PrivateKeyPath = key,
            TrustedCaPath = (trusted ?? this).CaPath,
            RequireClientCertificate = requireClientCertificate,
        };
    }

    /// <summary>The CA certificate and key, for a test that issues differently (e.g. a PFX).</summary>
    public X509Certificate2 CaWithKey() => _ca.CopyWithPrivateKey(_caKey);
}
