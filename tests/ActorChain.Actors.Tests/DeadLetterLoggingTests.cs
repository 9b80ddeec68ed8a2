using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ActorChain.Actors.Tests;

public sealed class DeadLetterLoggingTests
{
    [Fact]
    public void DeadLetters_AreLoggedOneByOneOnlyUpToTheLimit()
    {
        var provider = new CapturingProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(provider));
        using var system = ActorSystem.Create("dl", new ActorSystemSettings
        {
            LoggerFactory = factory,
            DeadLetterLogCount = 3,
            DeadLetterLogInterval = TimeSpan.FromHours(1),
        });

        for (var i = 0; i < 10; i++)
        {
            system.DeadLetters.Tell(i, null);
        }

        Assert.Equal(10, system.DeadLetterCount);
        Assert.Equal(3, provider.Events.Count(e => e == 1020));
        Assert.DoesNotContain(1021, provider.Events);
    }

    [Fact]
    public void DeadLetters_BeyondTheLimit_AreSummarisedOncePerInterval()
    {
        var provider = new CapturingProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(provider));
        using var system = ActorSystem.Create("dl", new ActorSystemSettings
        {
            LoggerFactory = factory,
            DeadLetterLogCount = 1,
            DeadLetterLogInterval = TimeSpan.Zero,
        });

        for (var i = 0; i < 4; i++)
        {
            system.DeadLetters.Tell(i, null);
        }

        Assert.Equal(1, provider.Events.Count(e => e == 1020));
        Assert.Equal(3, provider.Events.Count(e => e == 1021));
    }

    private sealed class CapturingProvider : ILoggerProvider
    {
        public ConcurrentQueue<int> Events { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Events.Enqueue(eventId.Id);
        }
    }
}
