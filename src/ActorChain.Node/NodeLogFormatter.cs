using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace ActorChain.Node;

internal sealed class NodeLogFormatterOptions : ConsoleFormatterOptions
{
    public string NodeId { get; set; } = string.Empty;
}

/// <summary>One line per entry with the node id in it, so the logs of several nodes can be merged and still read.</summary>
internal sealed class NodeLogFormatter(IOptionsMonitor<NodeLogFormatterOptions> options) : ConsoleFormatter(Name)
{
    public new const string Name = "actorchain-node";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        var level = logEntry.LogLevel switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
        textWriter.Write(DateTime.UtcNow.ToString("HH:mm:ss.fff ", System.Globalization.CultureInfo.InvariantCulture));
        textWriter.Write($"{level} [{options.CurrentValue.NodeId}] {logEntry.Category}: {message}");
        if (logEntry.Exception is { } exception)
        {
            textWriter.Write(' ');
            textWriter.Write(exception.ToString().ReplaceLineEndings(" | "));
        }

        textWriter.WriteLine();
    }
}
