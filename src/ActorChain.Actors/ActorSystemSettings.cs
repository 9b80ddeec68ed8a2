using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorChain.Actors;

public sealed record ActorSystemSettings
{
    public static ActorSystemSettings Default { get; } = new();

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Messages an actor processes per turn on a pool thread before yielding it (Akka's default is 30).</summary>
    public int Throughput { get; init; } = 30;

    /// <summary>With <see cref="Port"/>, makes paths global: <c>actorchain://name@host:port/user/…</c>.</summary>
    public string? Host { get; init; }

    public int? Port { get; init; }

    /// <summary>Timeout of an Ask that names none.</summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Terminate the system (children before parents) on SIGTERM and on process exit. Off by default so tests hook no signals.</summary>
    public bool TerminateOnProcessExit { get; init; }

    /// <summary>How long Dispose and the process-exit hook wait for the system to terminate.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The first this-many dead letters are logged one by one; after that a summary at most once per <see cref="DeadLetterLogInterval"/>.</summary>
    public int DeadLetterLogCount { get; init; } = 10;

    public TimeSpan DeadLetterLogInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Strategy of the /user guardian for top-level actors; null for <see cref="SupervisorStrategy.DefaultStrategy"/>.</summary>
    public SupervisorStrategy? UserGuardianSupervisorStrategy { get; init; }
}
