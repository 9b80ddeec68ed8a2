using ActorChain.Chain.Signing;
using ActorChain.Node.Configuration;

namespace ActorChain.Node.Chain;

/// <summary>
/// Keys of a chain with signed blocks (<c>actorchain.chain.signed-blocks = on</c>, docs/security.md):
/// this node's private key, a PEM file in its data directory created on first start, and the
/// initial voters' public keys from <c>actorchain.chain.voter-keys</c>, which go into genesis.
/// </summary>
internal static class NodeSigningKeys
{
    public const string DefaultFileName = "signing-key.pem";

    /// <summary>The key file <c>actorchain.chain.signing-key</c> names, or the default one in the data directory.</summary>
    public static string KeyPath(string configured, string dataDirectory) =>
        string.IsNullOrWhiteSpace(configured) ? Path.Combine(dataDirectory, DefaultFileName) : Path.GetFullPath(configured.Trim());

    /// <summary>
    /// This node's key and the genesis voters' keys. The node's own key is created when its file does
    /// not exist yet and the configuration lists no key for it; otherwise it must match the listed one.
    /// </summary>
    /// <exception cref="NodeConfigurationException">A key is missing, unreadable, malformed or does not match.</exception>
    public static (BlockSigner Signer, IReadOnlyDictionary<string, VoterKey> VoterKeys) Resolve(
        IReadOnlyList<string> entries, IReadOnlyList<string> voters, string nodeId, string keyPath)
    {
        var listed = ParseVoterKeys(entries);
        foreach (var node in listed.Keys.Where(n => !voters.Contains(n, StringComparer.Ordinal)))
        {
            throw new NodeConfigurationException(
                $"actorchain.chain.voter-keys lists a key for {node}, which is not one of actorchain.chain.initial-voters [{string.Join(", ", voters)}].");
        }

        if (listed.ContainsKey(nodeId) && !File.Exists(keyPath))
        {
            throw new NodeConfigurationException(
                $"actorchain.chain.voter-keys lists a public key for this node ({nodeId}) but its private key file '{keyPath}' " +
                "(actorchain.chain.signing-key) does not exist: put the key made with --generate-key there.");
        }

        var signer = LoadOrCreate(keyPath);
        if (listed.TryGetValue(nodeId, out var own) && !own.Equals(signer.PublicKey))
        {
            throw new NodeConfigurationException(
                $"the key in '{keyPath}' (actorchain.chain.signing-key) is not the one actorchain.chain.voter-keys lists for {nodeId}: " +
                $"the file's public key is {signer.PublicKey.ToBase64SubjectPublicKeyInfo()}.");
        }

        var keys = new Dictionary<string, VoterKey>(StringComparer.Ordinal);
        foreach (var voter in voters)
        {
            if (listed.TryGetValue(voter, out var key))
            {
                keys[voter] = key;
            }
            else if (voter == nodeId)
            {
                keys[voter] = signer.PublicKey;
            }
            else
            {
                throw new NodeConfigurationException(
                    $"actorchain.chain.voter-keys has no public key for the initial voter {voter}: with signed-blocks = on every initial voter's key " +
                    "is part of genesis, so every node must list all of them (\"node-id=<base64>\", as ActorChain.Node --generate-key FILE prints it).");
            }
        }

        return (signer, keys);
    }

    /// <summary>Reads the PEM key at <paramref name="path"/>, or creates one there (owner-only permissions) when there is no file.</summary>
    /// <exception cref="NodeConfigurationException">The file exists but cannot be read or holds no P-256 private key, or cannot be created.</exception>
    public static BlockSigner LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            string pem;
            try
            {
                pem = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new NodeConfigurationException($"the signing key file '{path}' (actorchain.chain.signing-key) cannot be read: {e.Message}");
            }

            try
            {
                return BlockSigner.FromPem(pem);
            }
            catch (ArgumentException e)
            {
                throw new NodeConfigurationException($"the signing key file '{path}' (actorchain.chain.signing-key) holds {e.Message}");
            }
        }

        var signer = BlockSigner.Generate();
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var file = new StreamWriter(path, System.Text.Encoding.ASCII, options);
            file.Write(signer.ToPem());
            file.Flush();
            ((FileStream)file.BaseStream).Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            signer.Dispose();
            throw new NodeConfigurationException($"the signing key file '{path}' (actorchain.chain.signing-key) cannot be created: {e.Message}");
        }

        return signer;
    }

    /// <summary><c>--generate-key FILE</c>: makes the key file unless it exists, and prints its public key for voter-keys.</summary>
    public static string GenerateKey(string path)
    {
        using var signer = LoadOrCreate(Path.GetFullPath(path));
        return signer.PublicKey.ToBase64SubjectPublicKeyInfo();
    }

    private static Dictionary<string, VoterKey> ParseVoterKeys(IReadOnlyList<string> entries)
    {
        var keys = new Dictionary<string, VoterKey>(StringComparer.Ordinal);
        foreach (var entry in entries.Where(e => !string.IsNullOrWhiteSpace(e)))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            var node = equals > 0 ? entry[..equals].Trim() : string.Empty;
            if (node.Length == 0)
            {
                throw new NodeConfigurationException($"actorchain.chain.voter-keys entry '{entry}' is not \"node-id=<base64 public key>\".");
            }

            try
            {
                if (!keys.TryAdd(node, VoterKey.FromBase64SubjectPublicKeyInfo(entry[(equals + 1)..])))
                {
                    throw new NodeConfigurationException($"actorchain.chain.voter-keys lists {node} twice.");
                }
            }
            catch (ArgumentException e)
            {
                throw new NodeConfigurationException($"actorchain.chain.voter-keys entry for {node} is {e.Message}");
            }
        }

        return keys;
    }
}
