using System.Text;

namespace ActorChain.Hocon.Parsing;

/// <summary>Folds a value concatenation whose parts are all known at parse time.</summary>
internal static class Concatenation
{
    public static Node Fold(List<Node> parts, HoconOrigin origin)
    {
        if (parts.Count == 1)
        {
            return parts[0];
        }

        if (parts.Any(p => p is SubstitutionNode))
        {
            return new ConcatNode(origin, parts);
        }

        var values = parts.Where(p => p is not WhitespaceNode).ToList();
        if (values.All(v => v is ObjectNode))
        {
            return values.Aggregate(Node.Combine);
        }

        if (values.All(v => v is ArrayNode))
        {
            return new ArrayNode(origin, [.. values.SelectMany(v => ((ArrayNode)v).Items)]);
        }

        var mismatch = values.FirstOrDefault(v => v is ObjectNode or ArrayNode);
        if (mismatch is not null)
        {
            throw Mixed(mismatch.Origin, values);
        }

        var text = new StringBuilder();
        foreach (var part in parts)
        {
            text.Append(part switch
            {
                WhitespaceNode w => w.Text,
                ScalarNode s => s.Text,
                _ => string.Empty,
            });
        }

        return new ScalarNode(origin, HoconValueType.String, text.ToString(), wasQuoted: false);
    }

    internal static HoconException Mixed(HoconOrigin origin, IEnumerable<object> values)
    {
        var kinds = values.Select(v => v switch
        {
            ObjectNode or HoconObject => "an object",
            ArrayNode or HoconArray => "an array",
            _ => "a simple value",
        }).Distinct();
        return new HoconException(origin,
            $"cannot concatenate {string.Join(" with ", kinds)}: values on one line may only join strings with strings, arrays with arrays or objects with objects");
    }
}
