using Spectre.Console;

namespace ActorChain.Cli;

/// <summary>
/// Where a command writes: <see cref="Ui"/> for tables and progress, <see cref="Out"/> for plain text and
/// <c>--json</c> documents (never wrapped or coloured), <see cref="Error"/> for failures.
/// Tests pass their own writers; the executable passes the process's.
/// </summary>
internal sealed class CliConsole(IAnsiConsole ui, TextWriter @out, TextWriter error)
{
    public IAnsiConsole Ui { get; } = ui;

    public TextWriter Out { get; } = @out;

    public TextWriter Error { get; } = error;

    public static CliConsole System()
    {
        var ui = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            // A file or pipe has no width; Spectre's 80-column default would wrap addresses and hashes.
            ui.Profile.Width = 240;
        }

        return new CliConsole(ui, Console.Out, Console.Error);
    }

    /// <summary>A console that renders into <paramref name="writer"/> without colours or cursor movement.</summary>
    public static CliConsole Captured(TextWriter writer, TextWriter error, int width = 240)
    {
        var ui = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        ui.Profile.Width = width;
        return new CliConsole(ui, writer, error);
    }
}
