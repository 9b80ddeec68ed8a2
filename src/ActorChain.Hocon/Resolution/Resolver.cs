using System.Text;
using ActorChain.Hocon.Parsing;

namespace ActorChain.Hocon.Resolution;

/// <summary>
/// Resolves substitutions against the whole configuration. Every node is resolved at most once
/// (memoised by node, as the spec asks, so each <c>${}</c> occurrence has one value). A lookup
/// walks literal objects without resolving their other fields, so an object may refer to its own
/// fields; a cycle through an override is broken by looking back at the value it overrides.
/// </summary>
internal sealed class Resolver
{
    private readonly ObjectNode _root;
    private readonly Func<string, string?> _environment;
    private readonly Dictionary<Node, HoconValue?> _resolved = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Node> _inProgress = new(ReferenceEqualityComparer.Instance);
    private readonly List<SubstitutionNode> _following = [];

    private Resolver(ObjectNode root, Func<string, string?> environment)
    {
        _root = root;
        _environment = environment;
    }

    public static HoconObject Resolve(ObjectNode root, Func<string, string?> environment) =>
        (HoconObject)new Resolver(root, environment).ResolveNode(root, [], null)!;

    // path: where the node sits as a field value, null inside arrays. previous: the value this
    // field overrides, which self-references see. Returns null when the value is undefined (a
    // missing optional substitution).
    private HoconValue? ResolveNode(Node node, string[]? path, Node? previous)
    {
        if (_resolved.TryGetValue(node, out var done))
        {
            return done;
        }

        if (!_inProgress.Add(node))
        {
            throw Cycle(node.Origin);
        }

        HoconValue? result;
        try
        {
            result = node switch
            {
                ObjectNode o => ResolveObject(o, path),
                ArrayNode a => new HoconArray(a.Origin, [.. a.Items.Select(i => ResolveNode(i, null, null)).OfType<HoconValue>()]),
                ScalarNode s => new HoconScalar(s.Origin, s.Type, s.Text, s.WasQuoted),
                SubstitutionNode s => ResolveSubstitution(s, path, previous),
                ConcatNode c => ResolveConcat(c, path, previous),
                DelayedMergeNode d => ResolveDelayedMerge(d, path),
                _ => throw new InvalidOperationException($"unexpected node {node.GetType().Name}"),
            };
        }
        finally
        {
            _inProgress.Remove(node);
        }

        _resolved[node] = result;
        return result;
    }

    private HoconObject ResolveObject(ObjectNode node, string[]? path)
    {
        var result = new HoconObject(node.Origin);
        foreach (var (key, child) in node.Fields)
        {
            if (ResolveNode(child, path is null ? null : [.. path, key], null) is { } value)
            {
                result.Fields[key] = value;
            }
        }

        return result;
    }

    private HoconValue? ResolveDelayedMerge(DelayedMergeNode node, string[]? path)
    {
        var next = ResolveNode(node.Next, path, node.Previous);
        if (next is null)
        {
            return ResolveNode(node.Previous, path, null);
        }

        if (next is HoconObject nextObject && ResolveNode(node.Previous, path, null) is HoconObject previousObject)
        {
            return HoconObject.Merge(previousObject, nextObject);
        }

        return next;
    }

    private HoconValue? ResolveConcat(ConcatNode node, string[]? path, Node? previous)
    {
        var items = new List<(Node Part, HoconValue? Value)>();
        foreach (var part in node.Parts)
        {
            items.Add((part, part switch
            {
                WhitespaceNode => null,
                SubstitutionNode s => ResolveSubstitution(s, path, previous),
                _ => ResolveNode(part, path, null),
            }));
        }

        var values = items.Where(i => i.Value is not null).Select(i => i.Value!).ToList();
        if (values.Count == 0)
        {
            return null;
        }

        if (values.Count == 1)
        {
            return values[0];
        }

        if (values.All(v => v is HoconObject))
        {
            return values.Cast<HoconObject>().Aggregate(HoconObject.Merge);
        }

        if (values.All(v => v is HoconArray))
        {
            return new HoconArray(node.Origin, [.. values.SelectMany(v => ((HoconArray)v).Items)]);
        }

        if (values.FirstOrDefault(v => v is HoconObject or HoconArray) is { } mismatch)
        {
            var at = items.First(i => ReferenceEquals(i.Value, mismatch)).Part.Origin;
            throw Concatenation.Mixed(at, values);
        }

        // Whitespace counts only between two simple values that are there.
        var text = new StringBuilder();
        var first = items.FindIndex(i => i.Value is not null);
        var last = items.FindLastIndex(i => i.Value is not null);
        for (var i = first; i <= last; i++)
        {
            text.Append(items[i] switch
            {
                (WhitespaceNode w, _) => w.Text,
                (_, HoconScalar s) => s.Text,
                _ => string.Empty,
            });
        }

        return new HoconScalar(node.Origin, HoconValueType.String, text.ToString(), wasQuoted: false);
    }

    private HoconValue? ResolveSubstitution(SubstitutionNode node, string[]? fieldPath, Node? previous)
    {
        _following.Add(node);
        try
        {
            var (found, value) = Lookup(node.Path, node, fieldPath, previous);
            if (!found && node.FallbackPath is { } fallback)
            {
                (found, value) = Lookup(fallback, node, fieldPath, previous);
            }

            if (found)
            {
                return value;
            }

            var variable = string.Join('.', node.FallbackPath ?? node.Path);
            if (_environment(variable) is { } fromEnvironment)
            {
                return new HoconScalar(node.Origin, HoconValueType.String, fromEnvironment, wasQuoted: true);
            }

            return node.Optional
                ? null
                : throw new HoconException(node.Origin,
                    $"undefined substitution {node.Written}: there is no setting '{PathExpression.Render(node.FallbackPath ?? node.Path)}' and no environment variable '{variable}' (use ${{?...}} if it may be missing)");
        }
        finally
        {
            _following.RemoveAt(_following.Count - 1);
        }
    }

    private (bool Found, HoconValue? Value) Lookup(string[] target, SubstitutionNode node, string[]? fieldPath, Node? previous)
    {
        // A field referring to itself (or below itself) means the value it overrides.
        if (fieldPath is not null && target.Length >= fieldPath.Length && target.AsSpan(0, fieldPath.Length).SequenceEqual(fieldPath))
        {
            return previous is null ? (false, null) : Walk(previous, fieldPath, target[fieldPath.Length..], node);
        }

        return Walk(_root, [], target, node);
    }

    private (bool Found, HoconValue? Value) Walk(Node start, string[] startPath, string[] relative, SubstitutionNode node)
    {
        var current = start;
        var path = startPath;
        var i = 0;
        while (true)
        {
            while (i < relative.Length && current is ObjectNode o)
            {
                if (!o.Fields.TryGetValue(relative[i], out var child))
                {
                    return (false, null);
                }

                current = child;
                path = [.. path, relative[i]];
                i++;
            }

            if (!_inProgress.Contains(current))
            {
                break;
            }

            // Resolving this override led back to it: look back at the value it overrides.
            if (current is DelayedMergeNode d)
            {
                current = d.Previous;
                continue;
            }

            return node.Optional ? (false, null) : throw Cycle(node.Origin);
        }

        var value = ResolveNode(current, path, null);
        for (; i < relative.Length && value is not null; i++)
        {
            value = value is HoconObject ho && ho.Fields.TryGetValue(relative[i], out var next) ? next : null;
        }

        return value is null ? (false, null) : (true, value);
    }

    private HoconException Cycle(HoconOrigin origin)
    {
        var chain = _following.Count == 0 ? string.Empty : $" ({string.Join(" -> ", _following.Select(s => $"{s.Written} at {s.Origin.Line}:{s.Origin.Column}"))})";
        return new HoconException(origin, $"substitution cycle: the value depends on itself{chain}");
    }
}
