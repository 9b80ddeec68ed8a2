namespace ActorChain.Hocon.Parsing;

/// <summary>
/// The parsed but unresolved document. Substitutions, concatenations that hold them and
/// overrides of such values stay as nodes until the resolver sees the whole configuration.
/// </summary>
internal abstract class Node(HoconOrigin origin)
{
    public HoconOrigin Origin { get; } = origin;

    /// <summary>
    /// Sets <paramref name="next"/> over <paramref name="previous"/> as a duplicate key does: objects
    /// merge, a plain non-object value replaces, and anything whose shape is only known after
    /// resolution keeps the previous value underneath it.
    /// </summary>
    public static Node Combine(Node previous, Node next) => next switch
    {
        ObjectNode nextObject => previous switch
        {
            ObjectNode previousObject => ObjectNode.Merge(previousObject, nextObject),
            ScalarNode or ArrayNode => next,
            _ => new DelayedMergeNode(previous, next),
        },
        ScalarNode or ArrayNode => next,
        _ => new DelayedMergeNode(previous, next),
    };
}

internal sealed class ObjectNode(HoconOrigin origin) : Node(origin)
{
    public OrderedDictionary<string, Node> Fields { get; } = new(StringComparer.Ordinal);

    public void Set(string key, Node value) =>
        Fields[key] = Fields.TryGetValue(key, out var previous) ? Combine(previous, value) : value;

    public static ObjectNode Merge(ObjectNode previous, ObjectNode next)
    {
        var merged = new ObjectNode(previous.Origin);
        foreach (var (key, value) in previous.Fields)
        {
            merged.Fields[key] = value;
        }

        foreach (var (key, value) in next.Fields)
        {
            merged.Set(key, value);
        }

        return merged;
    }
}

internal sealed class ArrayNode(HoconOrigin origin, List<Node> items) : Node(origin)
{
    public List<Node> Items { get; } = items;
}

internal sealed class ScalarNode(HoconOrigin origin, HoconValueType type, string text, bool wasQuoted) : Node(origin)
{
    public HoconValueType Type { get; } = type;

    public string Text { get; } = text;

    public bool WasQuoted { get; } = wasQuoted;
}

/// <summary>Whitespace between the parts of a value concatenation; it counts only between simple values.</summary>
internal sealed class WhitespaceNode(HoconOrigin origin, string text) : Node(origin)
{
    public string Text { get; } = text;
}

// FallbackPath: for substitutions in a file included below the root, the path as written,
// tried after the path fixed up with the include point's prefix.
internal sealed class SubstitutionNode(HoconOrigin origin, string[] path, string[]? fallbackPath, bool optional, string written)
    : Node(origin)
{
    public string[] Path { get; } = path;

    public string[]? FallbackPath { get; } = fallbackPath;

    public bool Optional { get; } = optional;

    public string Written { get; } = written;
}

/// <summary>A value concatenation with at least one substitution in it.</summary>
internal sealed class ConcatNode(HoconOrigin origin, List<Node> parts) : Node(origin)
{
    public List<Node> Parts { get; } = parts;
}

/// <summary>
/// A value set over an earlier one when the result depends on resolution: the earlier value is
/// merged under it if both turn out to be objects, kept if it turns out undefined (an optional
/// substitution), and is what self-references in it see.
/// </summary>
internal sealed class DelayedMergeNode(Node previous, Node next) : Node(next.Origin)
{
    public Node Previous { get; } = previous;

    public Node Next { get; } = next;
}
