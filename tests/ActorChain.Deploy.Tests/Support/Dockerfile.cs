using System.Text.Json;
using System.Text.RegularExpressions;

namespace ActorChain.Deploy.Tests.Support;

/// <summary>The instructions of a Dockerfile, split into stages at each FROM (continuation lines joined, comments dropped).</summary>
internal sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyList<Stage> stages) => Stages = stages;

    public sealed record Instruction(string Keyword, string Arguments);

    public sealed record Stage(string Image, string? Name, IReadOnlyList<Instruction> Instructions)
    {
        public IEnumerable<string> All(string keyword) =>
            Instructions.Where(i => i.Keyword == keyword).Select(i => i.Arguments);

        /// <summary>The last exec-form (JSON array) ENTRYPOINT or CMD; shell form is an error, since signals would go to /bin/sh.</summary>
        public IReadOnlyList<string> ExecForm(string keyword)
        {
            var arguments = All(keyword).LastOrDefault() ?? throw new InvalidDataException($"the stage from {Image} has no {keyword}.");
            return arguments.StartsWith('[')
                ? JsonSerializer.Deserialize<string[]>(arguments)!
                : throw new InvalidDataException($"{keyword} {arguments} is in shell form; use the exec (JSON array) form.");
        }

        /// <summary>ENV pairs in the later-wins order Docker applies them.</summary>
        public IReadOnlyDictionary<string, string> Environment()
        {
            var env = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in All("ENV"))
            {
                foreach (Match pair in EnvPair().Matches(line))
                {
                    env[pair.Groups["key"].Value] = pair.Groups["value"].Value.Trim('"');
                }
            }

            return env;
        }
    }

    public IReadOnlyList<Stage> Stages { get; }

    public Stage Runtime => Stages[^1];

    public static Dockerfile Load(string path)
    {
        var text = ContinuationLine().Replace(File.ReadAllText(path), " ");
        var stages = new List<Stage>();
        List<Instruction>? current = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var space = line.IndexOfAny([' ', '\t']);
            var keyword = (space < 0 ? line : line[..space]).ToUpperInvariant();
            var arguments = space < 0 ? string.Empty : line[(space + 1)..].Trim();
            if (keyword == "FROM")
            {
                var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                current = [];
                stages.Add(new Stage(words[0], words.Length == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null, current));
            }
            else
            {
                (current ?? throw new InvalidDataException($"{path}: '{keyword}' before the first FROM.")).Add(new Instruction(keyword, arguments));
            }
        }

        return new Dockerfile(stages);
    }

    // Continuation lines may hold comment lines between them, as Docker allows.
    [GeneratedRegex(@"\\\r?\n(\s*#[^\n]*\n)*")]
    private static partial Regex ContinuationLine();

    [GeneratedRegex("""(?<key>[A-Za-z_][A-Za-z0-9_]*)=(?<value>"[^"]*"|\S*)""")]
    private static partial Regex EnvPair();
}
