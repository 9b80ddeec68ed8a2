namespace ActorChain.Hocon.Parsing;

internal sealed partial class Parser
{
    private const int MaxIncludeDepth = 32;

    /// <summary>
    /// <c>include "f"</c>, <c>include file("f")</c> and either wrapped in <c>required(...)</c>. Since
    /// parentheses are legal in unquoted text, <c>required(file(</c> arrives as unquoted tokens
    /// around one quoted string; they are checked here rather than in the tokenizer.
    /// </summary>
    private void ParseInclude(ObjectNode target, string[] path)
    {
        var keyword = Next();
        SkipWhitespaceAndNewlines();
        var before = new System.Text.StringBuilder();
        var after = new System.Text.StringBuilder();
        Token? name = null;
        while (Peek.Kind is TokenKind.Unquoted or TokenKind.Quoted or TokenKind.Whitespace)
        {
            var token = Next();
            if (token.Kind == TokenKind.Quoted)
            {
                if (name is not null)
                {
                    throw BadInclude(token.Origin);
                }

                name = token;
            }
            else if (token.Kind == TokenKind.Unquoted)
            {
                (name is null ? before : after).Append(token.Text);
            }
        }

        if (name is not { } resource)
        {
            throw BadInclude(Peek.Origin);
        }

        var wrappers = before.ToString().Split('(');
        if (wrappers[^1].Length != 0 || after.ToString() != new string(')', wrappers.Length - 1))
        {
            throw BadInclude(keyword.Origin);
        }

        var kinds = wrappers[..^1];
        var required = false;
        for (var i = 0; i < kinds.Length; i++)
        {
            switch (kinds[i])
            {
                case "required" when i == 0:
                    required = true;
                    break;
                case "file" when i == kinds.Length - 1:
                    break;
                case "url" or "classpath":
                    throw Error(keyword.Origin, $"include {kinds[i]}(...) is not supported; use include \"file\" or include file(\"file\")");
                default:
                    throw BadInclude(keyword.Origin);
            }
        }

        Include(target, path, resource, required);
    }

    private static HoconException BadInclude(HoconOrigin origin) => Error(origin,
        "include must be followed by one quoted file name, e.g. include \"other.conf\", include file(\"other.conf\") or include required(\"other.conf\")");

    private void Include(ObjectNode target, string[] path, Token resource, bool required)
    {
        var fullPath = Path.GetFullPath(Path.Combine(_directory, resource.Text));
        var candidates = new List<string>();
        if (File.Exists(fullPath))
        {
            candidates.Add(fullPath);
        }
        else if (Path.GetExtension(fullPath).Length == 0)
        {
            // The spec's extension-less include loads every known format; .conf overrides .json.
            candidates.AddRange(new[] { fullPath + ".json", fullPath + ".conf" }.Where(File.Exists));
        }

        if (candidates.Count == 0)
        {
            if (required)
            {
                throw Error(resource.Origin, $"required include file \"{resource.Text}\" not found (looked for {fullPath})");
            }

            // The spec makes a missing non-required include silently contribute nothing.
            return;
        }

        foreach (var file in candidates)
        {
            if (_includeChain.Contains(file, StringComparer.Ordinal))
            {
                throw Error(resource.Origin, $"include cycle: \"{resource.Text}\" ({file}) is already being included");
            }

            if (_includeChain.Count >= MaxIncludeDepth)
            {
                throw Error(resource.Origin, $"includes are nested more than {MaxIncludeDepth} deep");
            }

            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (IOException e)
            {
                throw Error(resource.Origin, $"cannot read include file {file}: {e.Message}");
            }
            catch (UnauthorizedAccessException e)
            {
                throw Error(resource.Origin, $"cannot read include file {file}: {e.Message}");
            }

            var included = ParseDocument(text, file, Path.GetDirectoryName(file)!, path, [.. _includeChain, file]);
            foreach (var (key, value) in included.Fields)
            {
                target.Set(key, value);
            }
        }
    }
}
