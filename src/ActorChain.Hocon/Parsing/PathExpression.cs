using System.Text;

namespace ActorChain.Hocon.Parsing;

internal enum PathPartKind
{
    Unquoted,
    Quoted,
    Whitespace,
}

internal readonly record struct PathPart(string Text, PathPartKind Kind);

/// <summary>Turns the pieces of a key or substitution into path elements.</summary>
internal static class PathExpression
{
    public static string[] Build(IReadOnlyList<PathPart> parts, HoconOrigin origin)
    {
        var first = 0;
        var last = parts.Count - 1;
        while (first <= last && parts[first].Kind == PathPartKind.Whitespace)
        {
            first++;
        }

        while (last >= first && parts[last].Kind == PathPartKind.Whitespace)
        {
            last--;
        }

        if (first > last)
        {
            throw new HoconException(origin, "bad path: the path expression is empty");
        }

        var elements = new List<string>();
        var current = new StringBuilder();
        var hasContent = false;
        for (var i = first; i <= last; i++)
        {
            var part = parts[i];
            if (part.Kind != PathPartKind.Unquoted)
            {
                current.Append(part.Text);
                hasContent = true;
                continue;
            }

            var pieces = part.Text.Split('.');
            for (var p = 0; p < pieces.Length; p++)
            {
                if (p > 0)
                {
                    if (!hasContent)
                    {
                        throw EmptyElement(origin, parts, first, last);
                    }

                    elements.Add(current.ToString());
                    current.Clear();
                    hasContent = false;
                }

                current.Append(pieces[p]);
                hasContent |= pieces[p].Length > 0;
            }
        }

        if (!hasContent)
        {
            throw EmptyElement(origin, parts, first, last);
        }

        elements.Add(current.ToString());
        return [.. elements];
    }

    public static string Render(IEnumerable<string> path) =>
        string.Join('.', path.Select(e => e.Length > 0 && e.All(c => c != '.' && c != '"' && !char.IsWhiteSpace(c) && !Tokenizer.IsForbidden(c))
            ? e
            : $"\"{e}\""));

    private static HoconException EmptyElement(HoconOrigin origin, IReadOnlyList<PathPart> parts, int first, int last)
    {
        var text = string.Concat(parts.Skip(first).Take(last - first + 1)
            .Select(p => p.Kind == PathPartKind.Quoted ? $"\"{p.Text}\"" : p.Text));
        return new HoconException(origin, $"bad path '{text}': empty path element (a path may not start or end with '.' or hold '..'; quote an empty key as \"\")");
    }
}
