using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ActorChain.Tests.Harness;
using Xunit.Abstractions;

namespace ActorChain.Cli.Tests;

/// <summary><c>--ca-cert</c> against a node whose gateway serves HTTPS with a certificate from a private CA made here.</summary>
public sealed class CaCertTests(HttpsNode node) : IClassFixture<HttpsNode>
{
    [Fact]
    public async Task WithCaCert_CommandsReachTheHttpsNode_FromTheOptionOrTheEnvironment()
    {
        var voters = (await CliRun.ExpectAsync(0, "cluster", "voters", "--node", node.Url, "--ca-cert", node.CaPath, "--json")).Json();
        var head = await CliRun.RunAsync(["chain", "head", "--node", node.Url, "--json"], new Dictionary<string, string> { ["ACTORCHAIN_CA_CERT"] = node.CaPath }, CancellationToken.None);

        Assert.Equal("n1", Assert.Single(voters.GetProperty("voters").EnumerateArray()).GetProperty("nodeId").GetString());
        Assert.True(head.ExitCode == 0, head.ToString());
        Assert.Equal("n1", head.Json().GetProperty("nodeId").GetString());
    }

    [Fact]
    public async Task WithoutCaCert_TheCertificateIsUntrusted_AndTheErrorSaysToGiveOne()
    {
        var result = await CliRun.ExpectAsync(1, "chain", "head", "--node", node.Url);

        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)).TrimEnd('\r');
        Assert.StartsWith($"actorchain: cannot reach the node at {node.Url}: TLS handshake failed: ", line, StringComparison.Ordinal);
        Assert.Contains("errors in the certificate chain", line, StringComparison.Ordinal);
        Assert.EndsWith("give --ca-cert FILE or set ACTORCHAIN_CA_CERT)", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAnotherCa_TheCertificateIsUntrusted()
    {
        var result = await CliRun.ExpectAsync(1, "chain", "head", "--node", node.Url, "--ca-cert", node.OtherCaPath);

        Assert.Contains("TLS handshake failed: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("errors in the certificate chain", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithCaCert_TheHostNameIsStillChecked()
    {
        // The certificate names localhost only: the same node asked as 127.0.0.1 does not match it.
        var byAddress = node.Url.Replace("localhost", "127.0.0.1", StringComparison.Ordinal);

        var result = await CliRun.ExpectAsync(1, "chain", "head", "--node", byAddress, "--ca-cert", node.CaPath);

        Assert.Contains("TLS handshake failed: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("RemoteCertificateNameMismatch", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemovingTheLastVoter_Exits1_WithTheLedgersReason()
    {
        var result = await CliRun.ExpectAsync(1, "cluster", "voter", "remove", "n1", "--node", node.Url, "--ca-cert", node.CaPath);

        Assert.Contains("failed with 409 Voter change rejected: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("n1 is the last voter", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing.pem", "cannot read the file")]
    [InlineData("not-pem.txt", "no readable PEM certificate")]
    [InlineData("key-only.pem", "no readable PEM certificate")]
    [InlineData("", "cannot read the file")]
    public async Task BadCaCertFile_IsAUsageError_NamingTheFile(string file, string reason)
    {
        var path = Path.Combine(node.Directory, file);

        var result = await CliRun.ExpectAsync(2, "chain", "head", "--node", node.Url, "--ca-cert", path);

        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)).TrimEnd('\r');
        Assert.StartsWith($"actorchain: --ca-cert {path}: {reason}", line, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }
}

/// <summary>
/// One node whose gateway serves HTTPS (actorchain.gateway.https) with a leaf for "localhost" signed by a test CA;
/// beside them another CA, a text file and a key-only PEM, all in <see cref="Directory"/>.
/// </summary>
public sealed class HttpsNode(IMessageSink sink) : IAsyncLifetime
{
    private readonly MultiNodeCluster _cluster = new(new ThreeNodeCluster.SinkOutput(sink));

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("actorchain-cli-https-").FullName;

    public string CaPath => Path.Combine(Directory, "ca.pem");

    public string OtherCaPath => Path.Combine(Directory, "other-ca.pem");

    public string Url { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ca = CreateCa("CN=actorchain-cli-test-ca", caKey);
        await File.WriteAllTextAsync(CaPath, ca.ExportCertificatePem());
        using (var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        using (var other = CreateCa("CN=actorchain-cli-other-ca", otherKey))
        {
            await File.WriteAllTextAsync(OtherCaPath, other.ExportCertificatePem());
        }

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", leafKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var leaf = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7), [1, 2, 3, 4]);
        var certificatePath = Path.Combine(Directory, "gateway.crt.pem");
        var keyPath = Path.Combine(Directory, "key-only.pem");
        await File.WriteAllTextAsync(certificatePath, leaf.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, leafKey.ExportPkcs8PrivateKeyPem());
        await File.WriteAllTextAsync(Path.Combine(Directory, "not-pem.txt"), "this is not a certificate\n");

        await _cluster.StartAsync(1, seedCount: 1, _ => new Dictionary<string, string?>
        {
            ["actorchain:gateway:https:certificate"] = certificatePath,
            ["actorchain:gateway:https:privatekey"] = keyPath,
        });
        Url = $"https://localhost:{_cluster["n1"].HttpAddress.Port}/";

        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    CustomTrustStore = { ca },
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            },
        };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(30) };
        await ThreeNodeCluster.AwaitReadyAsync([http]);
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static X509Certificate2 CreateCa(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }
}
