using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ActorChain.Deploy.Tests.Support;

/// <summary>YAML documents read with merge keys (<c>&lt;&lt;: *anchor</c>) resolved, as Docker Compose reads them.</summary>
internal static class Yaml
{
    public static IReadOnlyList<YamlMappingNode> LoadFile(string path)
    {
        using var reader = new StringReader(File.ReadAllText(path));
        var stream = new YamlStream();
        stream.Load(new MergingParser(new Parser(reader)));
        return [.. stream.Documents.Select(d => d.RootNode as YamlMappingNode
            ?? throw new InvalidDataException($"{path}: a document's root is a {d.RootNode.NodeType}, not a mapping."))];
    }

    public static YamlNode? Get(this YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static YamlNode Required(this YamlNode node, string path)
    {
        var current = node;
        foreach (var key in path.Split('.'))
        {
            current = current.Get(key) ?? throw new KeyNotFoundException($"'{path}' is missing (no '{key}' at {current.Start}).");
        }

        return current;
    }

    public static string Text(this YamlNode node, string path) =>
        node.Required(path) is YamlScalarNode { Value: { } value } ? value : throw new InvalidDataException($"'{path}' is not a scalar.");

    public static string? TextOrNull(this YamlNode node, string key) => node.Get(key) is YamlScalarNode { Value: { } value } ? value : null;

    public static IReadOnlyList<YamlNode> Items(this YamlNode node, string path) =>
        node.Required(path) is YamlSequenceNode sequence ? [.. sequence.Children] : throw new InvalidDataException($"'{path}' is not a sequence.");

    public static IReadOnlyList<string> Strings(this YamlNode node, string path) =>
        [.. node.Items(path).Select(item => item is YamlScalarNode { Value: { } value } ? value : throw new InvalidDataException($"'{path}' holds a non-scalar."))];

    public static IReadOnlyDictionary<string, YamlNode> Entries(this YamlNode node, string path) =>
        node.Required(path) is YamlMappingNode map
            ? map.Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => e.Value, StringComparer.Ordinal)
            : throw new InvalidDataException($"'{path}' is not a mapping.");
}
