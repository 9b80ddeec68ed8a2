using System.CommandLine;
using ActorChain.Cli.Commands;
using ActorChain.Cli.Http;

namespace ActorChain.Cli;

/// <summary>The <c>actorchain</c> command tree; the executable and the tests both enter here.</summary>
internal static class CliApp
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    public static Task<int> RunAsync(string[] args) =>
        RunAsync(args, CliConsole.System(), Environment.GetEnvironmentVariable, CancellationToken.None, handleCtrlC: true);

    public static async Task<int> RunAsync(
        string[] args, CliConsole console, Func<string, string?> environment, CancellationToken cancellationToken, bool handleCtrlC = false)
    {
        var common = new CommonOptions(environment);
        var root = Build(common, console);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await console.Error.WriteLineAsync($"actorchain: {error.Message}");
            }

            await console.Error.WriteLineAsync($"Run '{Name(parse)} --help' for usage.");
            return Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = handleCtrlC ? TimeSpan.FromSeconds(2) : null,
        };
        return await parse.InvokeAsync(invocation, cancellationToken);
    }

    /// <summary>Every command, with <paramref name="common"/> on the root for all of them.</summary>
    public static RootCommand Build(CommonOptions common, CliConsole console)
    {
        var root = new RootCommand("actorchain: operate an ActorChain cluster through a node's HTTP gateway.");
        foreach (var option in common.All)
        {
            root.Options.Add(option);
        }

        var context = new CommandContext(common, console);
        root.Subcommands.Add(ClusterCommands.Build(context));
        root.Subcommands.Add(ChainCommands.Build(context));
        root.Subcommands.Add(KvCommands.Build(context));
        root.Subcommands.Add(TasksCommands.Build(context));
        root.Subcommands.Add(FilesCommands.Build(context));
        root.Subcommands.Add(LoadCommand.Build(context));
        return root;
    }

    private static string Name(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, result.Command.Name);
        }

        return string.Join(' ', names);
    }
}

/// <summary>What every command needs to bind its action: the shared options and the console.</summary>
internal sealed class CommandContext(CommonOptions common, CliConsole console)
{
    public CliConsole Console { get; } = console;

    /// <summary>
    /// Runs <paramref name="body"/> as <paramref name="command"/>'s action and turns its failures into exit codes:
    /// an unreachable node or an error answer is one line and 1, a <see cref="UsageException"/> is 2; never a stack trace.
    /// </summary>
    public void SetAction(Command command, Func<Invocation, CancellationToken, Task<int>> body)
    {
        command.SetAction(async (parse, ct) =>
        {
            using var invocation = new Invocation(parse, common, Console);
            try
            {
                invocation.ReadCaCertificate();
                return await body(invocation, ct);
            }
            catch (UsageException e)
            {
                await Console.Error.WriteLineAsync($"actorchain: {e.Message}");
                return CliApp.Usage;
            }
            catch (NodeApiException e) when (e.Status is 401 or 403)
            {
                await Console.Error.WriteLineAsync($"actorchain: {e.Message} (give --api-key or set {CommonOptions.ApiKeyVariable})");
                return CliApp.Failure;
            }
            catch (Exception e) when (e is NodeUnreachableException or NodeApiException)
            {
                await Console.Error.WriteLineAsync($"actorchain: {e.Message}");
                return CliApp.Failure;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync("actorchain: cancelled.");
                return CliApp.Failure;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"actorchain: {e.Message}");
                return CliApp.Failure;
            }
            catch (Exception e)
            {
                // The last line of defence: anything unforeseen is still one line, never a stack trace.
                await Console.Error.WriteLineAsync($"actorchain: unexpected {e.GetType().Name}: {e.Message}");
                return CliApp.Failure;
            }
        });
    }
}
