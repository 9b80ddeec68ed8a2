using System.Security.Cryptography;

namespace ActorChain.Chain.Signing;

/// <summary>A voter's ECDSA P-256 private key: signs the hashes of the blocks it proposes.</summary>
public sealed class BlockSigner : IDisposable
{
    private readonly ECDsa _ecdsa;

    private BlockSigner(ECDsa ecdsa)
    {
        _ecdsa = ecdsa;
        PublicKey = VoterKey.FromParameters(ecdsa.ExportParameters(includePrivateParameters: false));
    }

    public VoterKey PublicKey { get; }

    public static BlockSigner Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>From a PEM private key (PKCS#8 "PRIVATE KEY" or SEC1 "EC PRIVATE KEY").</summary>
    /// <exception cref="ArgumentException">The text holds no P-256 private key.</exception>
    public static BlockSigner FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(pem);
            if (ecdsa.ExportParameters(includePrivateParameters: false).Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                throw new ArgumentException("the key is not on the P-256 curve");
            }

            return new BlockSigner(ecdsa);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            ecdsa.Dispose();
            throw new ArgumentException($"not an ECDSA P-256 private key in PEM form: {e.Message}", e);
        }
    }

    /// <summary>The key as PKCS#8 PEM ("PRIVATE KEY").</summary>
    public string ToPem()
    {
        lock (_ecdsa)
        {
            return _ecdsa.ExportPkcs8PrivateKeyPem();
        }
    }

    /// <summary>ECDSA P-256 with SHA-256 over the 32 hash bytes, as r ‖ s (64 bytes, IEEE P1363).</summary>
    public byte[] Sign(Hash256 blockHash)
    {
        Span<byte> message = stackalloc byte[Hash256.Size];
        blockHash.WriteTo(message);
        lock (_ecdsa)
        {
            return _ecdsa.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
    }

    /// <summary>The block with this key's signature of its hash in the signature slot.</summary>
    public Block Sign(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        return block.WithSignature(Sign(block.Hash));
    }

    public void Dispose() => _ecdsa.Dispose();
}
