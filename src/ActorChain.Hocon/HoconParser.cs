using ActorChain.Hocon.Parsing;
using ActorChain.Hocon.Resolution;

namespace ActorChain.Hocon;

/// <summary>
/// Parses HOCON (the Lightbend spec) and resolves its substitutions against the whole document,
/// then against environment variables. Every error is a <see cref="HoconException"/> naming the
/// file, line and column.
/// </summary>
public static class HoconParser
{
    private const string TextFileName = "<string>";

    /// <param name="text">The HOCON document.</param>
    /// <param name="fileName">
    /// Used in error messages; relative includes are looked up next to it, or in the current
    /// directory when it is null.
    /// </param>
    public static HoconRoot Parse(string text, string? fileName = null) =>
        Parse(text, fileName, Environment.GetEnvironmentVariable);

    /// <exception cref="HoconException">The file is missing, unreadable or not valid HOCON.</exception>
    public static HoconRoot ParseFile(string path)
    {
        var fullPath = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HoconException(new HoconOrigin(fullPath, 0, 0), $"cannot read the configuration file: {e.Message}");
        }

        return Parse(text, fullPath, Environment.GetEnvironmentVariable);
    }

    internal static HoconRoot Parse(string text, string? fileName, Func<string, string?> environment)
    {
        string directory;
        List<string> chain = [];
        if (fileName is null)
        {
            directory = Environment.CurrentDirectory;
        }
        else
        {
            var fullPath = Path.GetFullPath(fileName);
            directory = Path.GetDirectoryName(fullPath) ?? Environment.CurrentDirectory;
            chain.Add(fullPath);
        }

        var displayName = fileName ?? TextFileName;
        var document = Parser.ParseDocument(text, displayName, directory, [], chain);
        return new HoconRoot(Resolver.Resolve(document, environment), displayName);
    }
}
