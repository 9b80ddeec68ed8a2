using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorChain.Remote.Tls;

/// <summary>Loads a certificate with its private key from the files an operator names: PEM (+ PEM key) or PFX.</summary>
public static class CertificateFiles
{
    /// <summary>
    /// Loads the certificate and key, and any further certificates in the same file (a chain) as intermediates.
    /// <paramref name="setting"/> prefixes the HOCON names in error messages, e.g. <c>actorchain.gateway.https</c>.
    /// </summary>
    /// <exception cref="TlsConfigurationException">A file is missing, unreadable, or holds no certificate with a usable key.</exception>
    public static (X509Certificate2 Certificate, X509Certificate2Collection Intermediates) Load(
        string certificatePath, string? privateKeyPath, string? password, string setting)
    {
        var path = RequireFile(certificatePath, $"{setting}.certificate");
        password = string.IsNullOrEmpty(password) ? null : password;
        try
        {
            if (!IsPem(path))
            {
                var pfx = X509CertificateLoader.LoadPkcs12CollectionFromFile(path, password);
                var leaf = pfx.FirstOrDefault(static c => c.HasPrivateKey)
                    ?? throw new TlsConfigurationException($"the certificate file '{path}' ({setting}.certificate, PFX) holds no certificate with a private key.", path);
                return (leaf, [.. pfx.Where(c => !ReferenceEquals(c, leaf))]);
            }

            var keyPath = string.IsNullOrWhiteSpace(privateKeyPath) ? null : RequireFile(privateKeyPath, $"{setting}.private-key");
            X509Certificate2 pem;
            try
            {
                pem = password is null
                    ? X509Certificate2.CreateFromPemFile(path, keyPath)
                    : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath);
            }
            catch (Exception ex) when (ex is CryptographicException or ArgumentException)
            {
                var blamed = keyPath ?? path;
                throw new TlsConfigurationException(
                    $"the private key in '{blamed}' ({setting}.private-key) cannot be read or does not match the certificate in '{path}': {ex.Message}", blamed, ex);
            }

            // Windows' TLS stack cannot use an ephemeral PEM key; a PKCS#12 round trip gives it one it can.
            if (OperatingSystem.IsWindows())
            {
                var reloaded = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
                pem.Dispose();
                pem = reloaded;
            }

            var bundle = new X509Certificate2Collection();
            bundle.ImportFromPemFile(path);
            return (pem, [.. bundle.Where(c => c.Thumbprint != pem.Thumbprint)]);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new TlsConfigurationException($"the certificate file '{path}' ({setting}.certificate) cannot be read: {ex.Message}", path, ex);
        }
    }

    internal static string RequireFile(string? configured, string setting)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new TlsConfigurationException($"{setting} must name a file.", configured ?? string.Empty);
        }

        var path = Path.GetFullPath(configured);
        return File.Exists(path)
            ? path
            : throw new TlsConfigurationException($"the file '{path}' named by {setting} does not exist.", path);
    }

    private static bool IsPem(string path)
    {
        using var reader = new StreamReader(path);
        var buffer = new char[4096];
        var read = reader.ReadBlock(buffer, 0, buffer.Length);
        return new string(buffer, 0, read).Contains("-----BEGIN", StringComparison.Ordinal);
    }
}
