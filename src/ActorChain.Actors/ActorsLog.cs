using Microsoft.Extensions.Logging;

namespace ActorChain.Actors;

/// <summary>EventIds 1000–1999 belong to ActorChain.Actors.</summary>
internal static partial class ActorsLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "Actor {Path} failed with {ExceptionType}; supervisor directive: {Directive}")]
    public static partial void ChildFailed(ILogger logger, Exception exception, ActorPath path, string exceptionType, Directive directive);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Actor {Path} failed with {ExceptionType}; resumed")]
    public static partial void ChildResumed(ILogger logger, Exception exception, ActorPath path, string exceptionType);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Actor {Path} reached its restart limit ({MaxRetries} within {Window}); stopping it")]
    public static partial void RestartLimitReached(ILogger logger, ActorPath path, int maxRetries, TimeSpan? window);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "Actor {Path} failed and has no supervisor; stopping it")]
    public static partial void FailedWithoutSupervisor(ILogger logger, Exception exception, ActorPath path);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error, Message = "{Hook} of {Path} threw")]
    public static partial void HookFailed(ILogger logger, Exception exception, string hook, ActorPath path);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Debug, Message = "Unhandled message {MessageType} from {Sender} to {Recipient}")]
    public static partial void Unhandled(ILogger logger, string messageType, ActorPath sender, ActorPath recipient);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Information, Message = "Message {MessageType} from {Sender} to {Recipient} was not delivered; {Count} dead letters so far")]
    public static partial void DeadLetter(ILogger logger, string messageType, ActorPath sender, ActorPath recipient, long count);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Information, Message = "{Suppressed} more dead letters were not logged (throttled to one summary per {Interval}); {Count} in all")]
    public static partial void DeadLettersSuppressed(ILogger logger, long suppressed, TimeSpan interval, long count);

    [LoggerMessage(EventId = 1030, Level = LogLevel.Debug, Message = "Actor system {System} started at {Address}")]
    public static partial void SystemStarted(ILogger logger, string system, Address address);

    [LoggerMessage(EventId = 1031, Level = LogLevel.Information, Message = "Actor system {System} terminating")]
    public static partial void SystemTerminating(ILogger logger, string system);

    [LoggerMessage(EventId = 1032, Level = LogLevel.Information, Message = "Actor system {System} terminated")]
    public static partial void SystemTerminated(ILogger logger, string system);

    [LoggerMessage(EventId = 1033, Level = LogLevel.Warning, Message = "Actor system {System} did not terminate within {Timeout}")]
    public static partial void ShutdownTimedOut(ILogger logger, string system, TimeSpan timeout);
}
