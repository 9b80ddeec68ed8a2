using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ActorChain.Remote.Tests.Support;

internal sealed class CapturingLogger : ILogger
{
    private readonly ConcurrentQueue<(EventId Id, LogLevel Level, string Message)> _entries = new();

    public IReadOnlyList<(EventId Id, LogLevel Level, string Message)> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        _entries.Enqueue((eventId, logLevel, formatter(state, exception)));
        if (Environment.GetEnvironmentVariable("REMOTE_TEST_LOG") == "1")
        {
            Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} [{eventId.Id}] {formatter(state, exception)} {exception}");
        }
    }

    public bool Has(int eventId, params string[] fragments) =>
        _entries.Any(e => e.Id.Id == eventId && fragments.All(f => e.Message.Contains(f, StringComparison.Ordinal)));
}
