using System.Text.RegularExpressions;
using ActorChain.Hocon;
using ActorChain.Node.Configuration;

namespace ActorChain.Deploy.Tests.Support;

/// <summary>
/// Environment variables as the node reads them (ACTORCHAIN__A__B is the key actorchain:a:b), and
/// whether such a key is a setting hocon/reference.conf defines.
/// </summary>
internal static partial class ConfigKeys
{
    private const string Prefix = "ACTORCHAIN__";
    private static readonly Lazy<HoconRoot> Reference = new(() => HoconParser.ParseFile(Repo.ReferenceConf));

    // reference.conf's key words by their dash-less spelling (httpport -> http-port), since
    // environment variable names lose the dashes and HOCON paths need them back. Its comments
    // also spell some keys dash-less; the dashed spelling is the key.
    private static readonly Lazy<Dictionary<string, string>> Words = new(() =>
        HoconWord().Matches(File.ReadAllText(Repo.ReferenceConf))
            .Select(m => m.Value)
            .GroupBy(w => w.Replace("-", string.Empty, StringComparison.Ordinal), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.MaxBy(w => w.Count(c => c == '-'))!, StringComparer.OrdinalIgnoreCase));

    public static bool IsSetting(string variable) => variable.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The reference.conf path an ACTORCHAIN__ variable sets, or null when reference.conf has no such setting.</summary>
    public static string? ReferencePath(string variable)
    {
        var segments = variable.Split("__");
        var index = segments[^1].All(char.IsAsciiDigit) ? segments[^1] : null;
        var keys = segments[..^(index is null ? 0 : 1)];
        var dashed = new List<string>();
        foreach (var key in keys)
        {
            if (!Words.Value.TryGetValue(key, out var word))
            {
                return null;
            }

            dashed.Add(word);
        }

        var path = string.Join('.', dashed);
        if (!Reference.Value.HasPath(path))
        {
            return null;
        }

        if (index is not null)
        {
            try
            {
                _ = Reference.Value.GetStringList(path);
            }
            catch (HoconException)
            {
                return null;
            }
        }

        return path;
    }

    /// <summary>The environment as configuration keys, the form NodeCommandLine overrides take; a later variable wins, as in Docker and Kubernetes.</summary>
    public static Dictionary<string, string?> AsOverrides(IEnumerable<KeyValuePair<string, string>> environment)
    {
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in environment.Where(e => IsSetting(e.Key)))
        {
            overrides[key.Replace("__", ":", StringComparison.Ordinal)] = value;
        }

        return overrides;
    }

    /// <summary>What the node makes of a command line and an environment, through its own loader.</summary>
    public static NodeSettings Load(IReadOnlyList<string> arguments, IEnumerable<KeyValuePair<string, string>> environment)
    {
        var commandLine = NodeCommandLine.Parse(arguments);
        var overrides = new Dictionary<string, string?>(AsOverrides(environment), StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in commandLine.Overrides)
        {
            overrides[key] = value;
        }

        return NodeSettings.Load(commandLine with { Overrides = overrides }, AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\b[a-z][a-z0-9]*(-[a-z0-9]+)*\b")]
    private static partial Regex HoconWord();
}
