namespace ActorChain.Hocon.Parsing;

/// <summary>
/// Builds the unresolved node tree of one file from its tokens. Duplicate keys, dotted keys and
/// concatenations without substitutions are folded here; everything else waits for the resolver.
/// </summary>
internal sealed partial class Parser
{
    private readonly List<Token> _tokens;
    private readonly string _fileName;
    private readonly string _directory;
    private readonly string[] _includePrefix;
    private readonly IReadOnlyList<string> _includeChain;
    private int _pos;

    private Parser(List<Token> tokens, string fileName, string directory, string[] includePrefix, IReadOnlyList<string> includeChain)
    {
        _tokens = tokens;
        _fileName = fileName;
        _directory = directory;
        _includePrefix = includePrefix;
        _includeChain = includeChain;
    }

    // directory: where relative includes are looked up. includePrefix: the path this file is
    // included at; its substitutions are looked up below it first. includeChain: full paths of
    // the files including this one, to catch include cycles.
    public static ObjectNode ParseDocument(
        string text, string fileName, string directory, string[] includePrefix, IReadOnlyList<string> includeChain)
    {
        var tokens = Tokenizer.Tokenize(text, fileName);
        return new Parser(tokens, fileName, directory, includePrefix, includeChain).ParseDocument();
    }

    private Token Peek => _tokens[_pos];

    private Token Next() => _tokens[_pos < _tokens.Count - 1 ? _pos++ : _pos];

    private TokenKind PeekKind(int ahead) => _tokens[Math.Min(_pos + ahead, _tokens.Count - 1)].Kind;

    private void SkipWhitespace()
    {
        while (Peek.Kind == TokenKind.Whitespace)
        {
            _pos++;
        }
    }

    private void SkipWhitespaceAndNewlines()
    {
        while (Peek.Kind is TokenKind.Whitespace or TokenKind.Newline)
        {
            _pos++;
        }
    }

    private static HoconException Error(HoconOrigin origin, string reason) => new(origin, reason);

    private ObjectNode ParseDocument()
    {
        SkipWhitespaceAndNewlines();
        var start = Peek;
        switch (start.Kind)
        {
            case TokenKind.OpenBracket:
                throw Error(start.Origin, "the root of a configuration file must be an object, not an array");
            case TokenKind.OpenBrace:
                Next();
                var root = ParseObjectBody(start, _includePrefix);
                SkipWhitespaceAndNewlines();
                if (Peek.Kind != TokenKind.EndOfFile)
                {
                    throw Error(Peek.Origin, $"unexpected {Peek.Describe()} after the closing '}}' of the root object");
                }

                return root;
            default:
                return ParseObjectBody(null, _includePrefix);
        }
    }

    // open: the opening brace, or null for a root object written without braces. path: where
    // this object sits, for += and includes.
    private ObjectNode ParseObjectBody(Token? open, string[] path)
    {
        var result = new ObjectNode(open?.Origin ?? new HoconOrigin(_fileName, 1, 1));
        while (true)
        {
            SkipWhitespaceAndNewlines();
            var token = Peek;
            if (token.Kind == TokenKind.CloseBrace)
            {
                if (open is null)
                {
                    throw Error(token.Origin, "unexpected '}' with no matching '{'");
                }

                Next();
                return result;
            }

            if (token.Kind == TokenKind.EndOfFile)
            {
                if (open is { } brace)
                {
                    throw Error(brace.Origin, "unclosed '{': the end of the file came before its matching '}'");
                }

                return result;
            }

            if (IsIncludeStatement())
            {
                ParseInclude(result, path);
            }
            else
            {
                ParseField(result, path);
            }

            SkipWhitespace();
            var separator = Peek;
            switch (separator.Kind)
            {
                case TokenKind.Comma:
                    Next();
                    break;
                case TokenKind.Newline or TokenKind.CloseBrace or TokenKind.EndOfFile:
                    break;
                default:
                    throw Error(separator.Origin, $"expected ',' or a new line after a field, found {separator.Describe()}");
            }
        }
    }

    private bool IsIncludeStatement() =>
        Peek is { Kind: TokenKind.Unquoted, Text: "include" }
        && PeekKind(1) is TokenKind.Whitespace or TokenKind.Newline or TokenKind.Quoted;

    private void ParseField(ObjectNode target, string[] path)
    {
        var keyStart = Peek;
        var keyParts = new List<PathPart>();
        while (Peek.Kind is TokenKind.Unquoted or TokenKind.Quoted or TokenKind.Number or TokenKind.True
               or TokenKind.False or TokenKind.Null or TokenKind.Whitespace)
        {
            var part = Next();
            keyParts.Add(new PathPart(part.Text, part.Kind switch
            {
                TokenKind.Quoted => PathPartKind.Quoted,
                TokenKind.Whitespace => PathPartKind.Whitespace,
                _ => PathPartKind.Unquoted,
            }));
        }

        if (keyParts.Count == 0)
        {
            throw Error(keyStart.Origin, keyStart.Kind == TokenKind.Substitution
                ? "a substitution cannot be used as a key"
                : $"expected a key, found {keyStart.Describe()}");
        }

        var key = PathExpression.Build(keyParts, keyStart.Origin);
        string[] fieldPath = [.. path, .. key];
        var separator = Peek;
        Node value;
        switch (separator.Kind)
        {
            case TokenKind.Colon or TokenKind.EqualsSign:
                Next();
                SkipWhitespaceAndNewlines();
                value = ParseValue(fieldPath);
                break;
            case TokenKind.OpenBrace:
                value = ParseValue(fieldPath);
                break;
            case TokenKind.PlusEquals:
                // `a += b` is `a = ${?a} [b]`: append to whatever `a` held before this field.
                Next();
                SkipWhitespaceAndNewlines();
                var element = ParseValue(fieldPath);
                value = new ConcatNode(separator.Origin,
                [
                    new SubstitutionNode(separator.Origin, fieldPath, null, optional: true, $"${{?{PathExpression.Render(fieldPath)}}}"),
                    new ArrayNode(element.Origin, [element]),
                ]);
                break;
            case TokenKind.Substitution:
                throw Error(separator.Origin, "a substitution cannot be used as a key");
            default:
                throw Error(separator.Origin, $"expected ':', '=' or '{{' after the key '{PathExpression.Render(key)}', found {separator.Describe()}");
        }

        for (var i = key.Length - 1; i > 0; i--)
        {
            var wrapper = new ObjectNode(keyStart.Origin);
            wrapper.Fields[key[i]] = value;
            value = wrapper;
        }

        target.Set(key[0], value);
    }

    /// <summary>A value concatenation: simple values, substitutions, arrays and objects up to the end of the line or the next separator.</summary>
    private Node ParseValue(string[] path)
    {
        var start = Peek;
        var parts = new List<Node>();
        while (true)
        {
            var token = Peek;
            switch (token.Kind)
            {
                case TokenKind.Whitespace:
                    Next();
                    if (parts.Count > 0)
                    {
                        parts.Add(new WhitespaceNode(token.Origin, token.Text));
                    }

                    continue;
                case TokenKind.Unquoted:
                    parts.Add(new ScalarNode(token.Origin, HoconValueType.String, Next().Text, wasQuoted: false));
                    continue;
                case TokenKind.Quoted:
                    parts.Add(new ScalarNode(token.Origin, HoconValueType.String, Next().Text, wasQuoted: true));
                    continue;
                case TokenKind.Number:
                    parts.Add(new ScalarNode(token.Origin, HoconValueType.Number, Next().Text, wasQuoted: false));
                    continue;
                case TokenKind.True or TokenKind.False:
                    parts.Add(new ScalarNode(token.Origin, HoconValueType.Boolean, Next().Text, wasQuoted: false));
                    continue;
                case TokenKind.Null:
                    parts.Add(new ScalarNode(token.Origin, HoconValueType.Null, Next().Text, wasQuoted: false));
                    continue;
                case TokenKind.Substitution:
                    Next();
                    parts.Add(Substitution(token));
                    continue;
                case TokenKind.OpenBrace:
                    Next();
                    parts.Add(ParseObjectBody(token, path));
                    continue;
                case TokenKind.OpenBracket:
                    Next();
                    parts.Add(ParseArray(token, path));
                    continue;
            }

            break;
        }

        while (parts.Count > 0 && parts[^1] is WhitespaceNode)
        {
            parts.RemoveAt(parts.Count - 1);
        }

        if (parts.Count == 0)
        {
            throw Error(start.Origin, $"expected a value, found {start.Describe()}");
        }

        return Concatenation.Fold(parts, start.Origin);
    }

    private SubstitutionNode Substitution(Token token)
    {
        var written = token.Path!;
        return _includePrefix.Length == 0
            ? new SubstitutionNode(token.Origin, written, null, token.Optional, token.Text)
            : new SubstitutionNode(token.Origin, [.. _includePrefix, .. written], written, token.Optional, token.Text);
    }

    private ArrayNode ParseArray(Token open, string[] path)
    {
        var items = new List<Node>();
        while (true)
        {
            SkipWhitespaceAndNewlines();
            var token = Peek;
            if (token.Kind == TokenKind.CloseBracket)
            {
                Next();
                return new ArrayNode(open.Origin, items);
            }

            if (token.Kind == TokenKind.EndOfFile)
            {
                throw Error(open.Origin, "unclosed '[': the end of the file came before its matching ']'");
            }

            items.Add(ParseValue(path));
            SkipWhitespace();
            var separator = Peek;
            switch (separator.Kind)
            {
                case TokenKind.Comma:
                    Next();
                    break;
                case TokenKind.Newline or TokenKind.CloseBracket or TokenKind.EndOfFile:
                    break;
                default:
                    throw Error(separator.Origin, $"expected ',', a new line or ']' after an array element, found {separator.Describe()}");
            }
        }
    }
}
