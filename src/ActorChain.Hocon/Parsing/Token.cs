namespace ActorChain.Hocon.Parsing;

internal enum TokenKind
{
    EndOfFile,
    Newline,
    Whitespace,
    OpenBrace,
    CloseBrace,
    OpenBracket,
    CloseBracket,
    Comma,
    Colon,
    EqualsSign,
    PlusEquals,
    Unquoted,
    Quoted,
    Number,
    True,
    False,
    Null,
    Substitution,
}

// Text: unquoted, number and whitespace text as written; quoted strings decoded.
// Path and Optional: for substitutions, the path's elements and whether it was written ${?...}.
internal readonly record struct Token(
    TokenKind Kind,
    string Text,
    HoconOrigin Origin,
    string[]? Path = null,
    bool Optional = false)
{
    public string Describe() => Kind switch
    {
        TokenKind.EndOfFile => "end of file",
        TokenKind.Newline => "a new line",
        TokenKind.Whitespace => "whitespace",
        TokenKind.Quoted => $"the string \"{Text}\"",
        TokenKind.Substitution => $"the substitution {Text}",
        TokenKind.Unquoted or TokenKind.Number or TokenKind.True or TokenKind.False or TokenKind.Null => $"'{Text}'",
        _ => $"'{Text}'",
    };
}
