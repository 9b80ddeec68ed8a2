using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ActorChain.Deploy.Tests.Support;

/// <summary>deploy/docker-compose.yml with its variables resolved as Compose resolves them when none is set.</summary>
internal sealed partial class ComposeFile
{
    private ComposeFile(YamlMappingNode root) => Root = root;

    public YamlMappingNode Root { get; }

    public IReadOnlyDictionary<string, YamlNode> Services => Root.Entries("services");

    /// <summary>The services built from the repository's Dockerfile: the ActorChain nodes.</summary>
    public IReadOnlyList<string> NodeServices =>
        [.. Services.Where(s => s.Value.Get("build") is not null).Select(s => s.Key)];

    public static ComposeFile Load() => new(Yaml.LoadFile(Path.Combine(Repo.Deploy, "docker-compose.yml")).Single());

    /// <summary>A service's environment over the image's ENV, with ${VAR:-default} taken at its default (nothing set).</summary>
    public Dictionary<string, string> Environment(string service, IReadOnlyDictionary<string, string> imageEnvironment)
    {
        var env = new Dictionary<string, string>(imageEnvironment, StringComparer.Ordinal);
        foreach (var (key, value) in Services[service].Entries("environment"))
        {
            env[key] = Interpolate(((YamlScalarNode)value).Value ?? string.Empty);
        }

        return env;
    }

    /// <summary>(host port, container port) of each port the service publishes.</summary>
    public IReadOnlyList<(int Host, int Container)> PublishedPorts(string service) =>
        [.. Services[service].Strings("ports").Select(p =>
        {
            var parts = p.Split('/')[0].Split(':');
            return (int.Parse(parts[^2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[^1], System.Globalization.CultureInfo.InvariantCulture));
        })];

    public static string Interpolate(string text) =>
        Variable().Replace(text, m => m.Groups["default"].Success ? m.Groups["default"].Value
            : throw new InvalidDataException($"'{m.Value}' has no default, so the file does not work without it being set."));

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(:-(?<default>[^}]*))?\}")]
    private static partial Regex Variable();
}
