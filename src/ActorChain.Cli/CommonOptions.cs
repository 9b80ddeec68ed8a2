using System.CommandLine;
using ActorChain.Cli.Http;

namespace ActorChain.Cli;

/// <summary>The options every command takes, declared once on the root and inherited (Recursive).</summary>
internal sealed class CommonOptions
{
    public const string NodeVariable = "ACTORCHAIN_NODE";
    public const string ApiKeyVariable = "ACTORCHAIN_API_KEY";
    public const string CaCertVariable = "ACTORCHAIN_CA_CERT";
    public const string DefaultNode = "http://127.0.0.1:8081";

    public CommonOptions(Func<string, string?> environment)
    {
        Node = new Option<Uri>("--node")
        {
            Description = $"The node's HTTP address (default: ${NodeVariable}, else {DefaultNode}).",
            Recursive = true,
            HelpName = "url",
            DefaultValueFactory = _ => ParseNode(environment(NodeVariable) is { Length: > 0 } fromEnv ? fromEnv : DefaultNode),
            CustomParser = result => ParseNode(result.Tokens[^1].Value, result),
        };
        Json = new Option<bool>("--json") { Description = "Write JSON for scripts instead of tables.", Recursive = true };
        ApiKey = new Option<string?>("--api-key")
        {
            Description = $"API key sent as 'Authorization: Bearer' (default: ${ApiKeyVariable}).",
            Recursive = true,
            HelpName = "key",
            DefaultValueFactory = _ => environment(ApiKeyVariable) is { Length: > 0 } key ? key : null,
        };
        CaCert = new Option<string?>("--ca-cert")
        {
            Description = $"Trust only this CA (PEM) for https:// nodes, e.g. the private CA of actorchain.gateway.https (default: ${CaCertVariable}).",
            Recursive = true,
            HelpName = "file",
            DefaultValueFactory = _ => environment(CaCertVariable) is { Length: > 0 } path ? path : null,
        };
        Timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "How long to wait for each answer (e.g. 30s, 00:01:00).",
            Recursive = true,
            DefaultValueFactory = _ => NodeClient.DefaultTimeout,
            CustomParser = result => Durations.Parse(result.Tokens[^1].Value, result),
        };
    }

    public Option<Uri> Node { get; }

    public Option<bool> Json { get; }

    public Option<string?> ApiKey { get; }

    public Option<string?> CaCert { get; }

    public Option<TimeSpan> Timeout { get; }

    public IEnumerable<Option> All => [Node, Json, ApiKey, CaCert, Timeout];

    public static Uri ParseNode(string text, System.CommandLine.Parsing.ArgumentResult? result = null)
    {
        var withScheme = text.Contains("://", StringComparison.Ordinal) ? text : "http://" + text;
        if (Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri;
        }

        if (result is null)
        {
            throw new UsageException($"'{text}' is not a node address like {DefaultNode}.");
        }

        result.AddError($"'{text}' is not a node address like {DefaultNode}.");
        return new Uri(DefaultNode);
    }
}

internal static class Durations
{
    /// <summary>Accepts 500ms, 30s, 5m, 1h or a TimeSpan (00:00:30).</summary>
    public static bool TryParse(string text, out TimeSpan value)
    {
        var units = new (string Suffix, double Ms)[] { ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000) };
        foreach (var (suffix, ms) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text[..^suffix.Length], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n)
                && n >= 0)
            {
                value = TimeSpan.FromMilliseconds(n * ms);
                return true;
            }
        }

        return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
    }

    public static TimeSpan Parse(string text, System.CommandLine.Parsing.ArgumentResult result)
    {
        if (TryParse(text, out var value))
        {
            return value;
        }

        result.AddError($"'{text}' is not a duration like 500ms, 30s, 5m or 00:01:00.");
        return TimeSpan.Zero;
    }
}
