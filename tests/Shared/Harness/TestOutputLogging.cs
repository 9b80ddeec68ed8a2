using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace ActorChain.Tests.Harness;

/// <summary>Node logs in the test output with the node name on each line; silent after the test ends (xUnit throws then).</summary>
internal sealed class TestOutputLoggerProvider(ITestOutputHelper output, string nodeName) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(output, nodeName, categoryName);

    public void Dispose()
    {
    }

    public static void Write(ITestOutputHelper output, string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
        }
    }

    private sealed class Logger(ITestOutputHelper output, string nodeName, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) =>
            logLevel >= (category.StartsWith("Microsoft.", StringComparison.Ordinal) ? LogLevel.Warning : LogLevel.Information);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                var shortCategory = category[(category.LastIndexOf('.') + 1)..];
                Write(output, $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel,-11} [{nodeName}] {shortCategory}: {formatter(state, exception)}{(exception is null ? string.Empty : " " + exception.Message)}");
            }
        }
    }
}
