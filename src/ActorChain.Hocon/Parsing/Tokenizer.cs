using System.Globalization;
using System.Text;

namespace ActorChain.Hocon.Parsing;

/// <summary>
/// Splits HOCON text into tokens. Newlines are tokens of their own because they separate fields
/// and array elements; whitespace is kept as a token because value concatenation preserves it.
/// </summary>
internal sealed class Tokenizer
{
    private readonly string _text;
    private readonly string _fileName;
    private readonly List<Token> _tokens = [];
    private int _pos;
    private int _line = 1;
    private int _column = 1;

    private Tokenizer(string text, string fileName)
    {
        _text = text;
        _fileName = fileName;
    }

    public static List<Token> Tokenize(string text, string fileName)
    {
        var tokenizer = new Tokenizer(text, fileName);
        tokenizer.Run();
        return tokenizer._tokens;
    }

    /// <summary>Parses a path expression such as <c>a.b."c.d"</c>, as used by typed getters.</summary>
    public static string[] ParsePath(string path, string fileName)
    {
        var tokenizer = new Tokenizer(path, fileName);
        return tokenizer.ReadPathExpression(tokenizer.Here(), inSubstitution: false);
    }

    /// <summary>
    /// Forbidden in unquoted text by the spec; some have meaning, the rest are reserved so that
    /// later versions of the format can give them one.
    /// </summary>
    internal static bool IsForbidden(char c) => c is '$' or '"' or '{' or '}' or '[' or ']' or ':' or '='
        or ',' or '+' or '#' or '`' or '^' or '?' or '!' or '@' or '*' or '&' or '\\';

    internal static bool IsWhitespace(char c) => c != '\n' && (char.IsWhiteSpace(c) || c == '\uFEFF');

    private HoconOrigin Here() => new(_fileName, _line, _column);

    private char Peek(int ahead = 0) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

    private bool AtEnd => _pos >= _text.Length;

    private void Advance(int count = 1)
    {
        for (var i = 0; i < count && _pos < _text.Length; i++)
        {
            if (_text[_pos] == '\n')
            {
                _line++;
                _column = 1;
            }
            else
            {
                _column++;
            }

            _pos++;
        }
    }

    private HoconException Error(HoconOrigin origin, string reason) => new(origin, reason);

    private void Add(TokenKind kind, string text, HoconOrigin origin) => _tokens.Add(new Token(kind, text, origin));

    private void Run()
    {
        while (!AtEnd)
        {
            var origin = Here();
            var c = Peek();
            if (c == '\n')
            {
                Advance();
                Add(TokenKind.Newline, "\n", origin);
            }
            else if (IsWhitespace(c))
            {
                var start = _pos;
                while (!AtEnd && IsWhitespace(Peek()))
                {
                    Advance();
                }

                Add(TokenKind.Whitespace, _text[start.._pos], origin);
            }
            else if (c == '#' || (c == '/' && Peek(1) == '/'))
            {
                while (!AtEnd && Peek() != '\n')
                {
                    Advance();
                }
            }
            else
            {
                ReadSignificant(c, origin);
            }
        }

        _tokens.Add(new Token(TokenKind.EndOfFile, string.Empty, Here()));
    }

    private void ReadSignificant(char c, HoconOrigin origin)
    {
        switch (c)
        {
            case '{': Punctuation(TokenKind.OpenBrace, "{", origin); return;
            case '}': Punctuation(TokenKind.CloseBrace, "}", origin); return;
            case '[': Punctuation(TokenKind.OpenBracket, "[", origin); return;
            case ']': Punctuation(TokenKind.CloseBracket, "]", origin); return;
            case ',': Punctuation(TokenKind.Comma, ",", origin); return;
            case ':': Punctuation(TokenKind.Colon, ":", origin); return;
            case '=': Punctuation(TokenKind.EqualsSign, "=", origin); return;
            case '+' when Peek(1) == '=':
                Advance(2);
                Add(TokenKind.PlusEquals, "+=", origin);
                return;
            case '"' when Peek(1) == '"' && Peek(2) == '"':
                ReadTripleQuoted(origin);
                return;
            case '"':
                Add(TokenKind.Quoted, ReadQuoted(), origin);
                return;
            case '$' when Peek(1) == '{':
                ReadSubstitution(origin);
                return;
            case '$':
                throw Error(origin, "'$' must start a substitution such as ${a.b}; quote the string if you mean a literal '$'");
        }

        if (IsForbidden(c))
        {
            throw Error(origin, $"unexpected character '{c}'; quote the string if you mean it literally");
        }

        ReadUnquotedValue(origin);
    }

    private void Punctuation(TokenKind kind, string text, HoconOrigin origin)
    {
        Advance();
        Add(kind, text, origin);
    }

    /// <summary>
    /// An unquoted run may begin with a number, <c>true</c>, <c>false</c> or <c>null</c>; what follows
    /// becomes a separate unquoted token so that <c>10.0foo</c> is the number 10.0 then <c>foo</c>,
    /// and value concatenation joins them again with the original text.
    /// </summary>
    private void ReadUnquotedValue(HoconOrigin origin)
    {
        var c = Peek();
        if (char.IsAsciiDigit(c) || c == '-')
        {
            var end = _pos;
            while (end < _text.Length && IsNumberChar(_text[end], end > _pos ? _text[end - 1] : '\0'))
            {
                end++;
            }

            var candidate = _text[_pos..end];
            if (IsJsonNumber(candidate))
            {
                Advance(candidate.Length);
                Add(TokenKind.Number, candidate, origin);
                return;
            }
        }

        foreach (var (word, kind) in Keywords)
        {
            if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) == 0)
            {
                Advance(word.Length);
                Add(kind, word, origin);
                return;
            }
        }

        var start = _pos;
        while (!AtEnd && IsUnquotedChar(Peek()) && !(Peek() == '/' && Peek(1) == '/'))
        {
            Advance();
        }

        Add(TokenKind.Unquoted, _text[start.._pos], origin);
    }

    private static readonly (string Word, TokenKind Kind)[] Keywords =
        [("true", TokenKind.True), ("false", TokenKind.False), ("null", TokenKind.Null)];

    private static bool IsUnquotedChar(char c) => c != '\n' && !IsWhitespace(c) && !IsForbidden(c);

    private static bool IsNumberChar(char c, char previous) =>
        char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '-' || (c == '+' && previous is 'e' or 'E');

    internal static bool IsJsonNumber(string s)
    {
        var i = 0;
        if (i < s.Length && s[i] == '-')
        {
            i++;
        }

        if (i >= s.Length || !char.IsAsciiDigit(s[i]))
        {
            return false;
        }

        if (s[i] == '0')
        {
            i++;
        }
        else
        {
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }
        }

        if (i < s.Length && s[i] == '.')
        {
            i++;
            if (!Digits(s, ref i))
            {
                return false;
            }
        }

        if (i < s.Length && s[i] is 'e' or 'E')
        {
            i++;
            if (i < s.Length && s[i] is '+' or '-')
            {
                i++;
            }

            if (!Digits(s, ref i))
            {
                return false;
            }
        }

        return i == s.Length;

        static bool Digits(string s, ref int i)
        {
            var start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            return i > start;
        }
    }

    /// <summary>Reads a JSON string starting at the opening quote; returns the decoded text.</summary>
    private string ReadQuoted()
    {
        var open = Here();
        Advance();
        var builder = new StringBuilder();
        while (true)
        {
            if (AtEnd || Peek() == '\n')
            {
                throw Error(open, "unterminated string: the closing '\"' is missing on this line (use \"\"\" for text that spans lines)");
            }

            var c = Peek();
            if (c == '"')
            {
                Advance();
                return builder.ToString();
            }

            if (c != '\\')
            {
                builder.Append(c);
                Advance();
                continue;
            }

            var escapeOrigin = Here();
            var escape = Peek(1);
            Advance(2);
            switch (escape)
            {
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u':
                    var hex = _pos + 4 <= _text.Length ? _text.Substring(_pos, 4) : string.Empty;
                    if (!ushort.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        throw Error(escapeOrigin, "bad escape: \\u must be followed by four hex digits");
                    }

                    builder.Append((char)code);
                    Advance(4);
                    break;
                default:
                    throw Error(escapeOrigin, $"bad escape '\\{(escape == '\0' ? "" : escape)}' in a quoted string (JSON escapes only: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
            }
        }
    }

    /// <summary>Like Scala: the first run of three or more quotes closes it; extra quotes belong to the text.</summary>
    private void ReadTripleQuoted(HoconOrigin origin)
    {
        var contentStart = _pos + 3;
        var close = _text.IndexOf("\"\"\"", contentStart, StringComparison.Ordinal);
        if (close < 0)
        {
            throw Error(origin, "unterminated string: the closing \"\"\" is missing");
        }

        while (close + 3 < _text.Length && _text[close + 3] == '"')
        {
            close++;
        }

        var content = _text[contentStart..close];
        Advance(close + 3 - _pos);
        Add(TokenKind.Quoted, content, origin);
    }

    private void ReadSubstitution(HoconOrigin origin)
    {
        var start = _pos;
        Advance(2);
        var optional = false;
        if (Peek() == '?')
        {
            optional = true;
            Advance();
        }

        var path = ReadPathExpression(origin, inSubstitution: true);
        var written = _text[start.._pos];
        _tokens.Add(new Token(TokenKind.Substitution, written, origin, path, optional));
    }

    /// <summary>
    /// Reads a path expression up to <c>}</c> (in a substitution) or the end of the text. Dots in
    /// unquoted text separate elements; dots inside quoted parts do not.
    /// </summary>
    private string[] ReadPathExpression(HoconOrigin origin, bool inSubstitution)
    {
        var parts = new List<PathPart>();
        while (true)
        {
            if (AtEnd || Peek() == '\n')
            {
                if (!inSubstitution)
                {
                    break;
                }

                throw Error(origin, "bad substitution: '${' is never closed with '}' on this line");
            }

            var c = Peek();
            var here = Here();
            if (c == '}' && inSubstitution)
            {
                Advance();
                break;
            }

            if (c == '"')
            {
                parts.Add(new PathPart(ReadQuoted(), PathPartKind.Quoted));
            }
            else if (IsWhitespace(c))
            {
                var start = _pos;
                while (!AtEnd && IsWhitespace(Peek()))
                {
                    Advance();
                }

                parts.Add(new PathPart(_text[start.._pos], PathPartKind.Whitespace));
            }
            else if (IsUnquotedChar(c) && !(c == '/' && Peek(1) == '/'))
            {
                var start = _pos;
                while (!AtEnd && IsUnquotedChar(Peek()) && !(Peek() == '/' && Peek(1) == '/'))
                {
                    Advance();
                }

                parts.Add(new PathPart(_text[start.._pos], PathPartKind.Unquoted));
            }
            else
            {
                var what = inSubstitution ? "bad substitution" : "bad path";
                throw Error(here, $"{what}: unexpected '{c}' in a path expression (quote path elements that hold special characters)");
            }
        }

        return PathExpression.Build(parts, origin);
    }
}
