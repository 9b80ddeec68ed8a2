using System.Text.Json;

namespace ActorChain.Cli.Tests;

/// <summary>What one run of the CLI printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    public JsonElement Json() => JsonDocument.Parse(Out).RootElement;

    public override string ToString() => $"exit {ExitCode}\n--- out ---\n{Out}\n--- error ---\n{Error}";
}

/// <summary>Runs <c>actorchain</c> through <see cref="CliApp.RunAsync(string[], CliConsole, Func{string, string?}, CancellationToken, bool)"/>, the executable's own entry.</summary>
internal static class CliRun
{
    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(args, new Dictionary<string, string>(), CancellationToken.None);

    public static Task<CliResult> RunAsync(string[] args, CancellationToken cancellationToken) => RunAsync(args, new Dictionary<string, string>(), cancellationToken);

    public static async Task<CliResult> RunAsync(string[] args, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var writerOut = TextWriter.Synchronized(output);
        var writerError = TextWriter.Synchronized(error);
        var code = await CliApp.RunAsync(args, CliConsole.Captured(writerOut, writerError), name => environment.GetValueOrDefault(name), cancellationToken);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs and asserts the exit code, showing everything printed when it is not the expected one.</summary>
    public static async Task<CliResult> ExpectAsync(int exitCode, params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == exitCode, $"actorchain {string.Join(' ', args)}: expected exit {exitCode}, got {result}");
        return result;
    }
}
