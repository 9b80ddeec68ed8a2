namespace ActorChain.Actors;

public static class Futures
{
    /// <summary>
    /// Sends <paramref name="message"/> with a temporary reply ref as sender and completes with the
    /// first reply. A <see cref="Status.Failure"/> reply faults the task with its cause; no reply
    /// within <paramref name="timeout"/> (default: the system's AskTimeout) faults it with
    /// <see cref="AskTimeoutException"/>; cancellation cancels it. Late replies go to dead letters.
    /// </summary>
    public static Task<T> Ask<T>(this IActorRef target, object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(message);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        var system = (target as IInternalActorRef)?.System;
        var effective = timeout ?? system?.Settings.AskTimeout ?? TimeSpan.FromSeconds(10);
        var promise = new PromiseActorRef<T>(system, target);
        promise.Start(effective, cancellationToken);
        target.Tell(message, promise);
        return promise.Task;
    }

    public static Task<T> Ask<T>(this IActorRef target, object message, CancellationToken cancellationToken) =>
        Ask<T>(target, message, null, cancellationToken);

    public static Task<object> Ask(this IActorRef target, object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        Ask<object>(target, message, timeout, cancellationToken);

    /// <summary>
    /// Tells the task's result to <paramref name="recipient"/> when it completes (mapped by
    /// <paramref name="success"/> if given), or a <see cref="Status.Failure"/> (mapped by
    /// <paramref name="failure"/> if given) when it faults or is cancelled. The way to bring the
    /// result of async work back into an actor as a message.
    /// </summary>
    public static Task PipeTo<T>(
        this Task<T> task,
        IActorRef recipient,
        IActorRef? sender = null,
        Func<T, object>? success = null,
        Func<Exception, object>? failure = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(recipient);
        return task.ContinueWith(
            t =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    recipient.Tell(success is null ? t.Result! : success(t.Result), sender);
                    return;
                }

                Exception cause = t.IsCanceled
                    ? new TaskCanceledException(t)
                    : t.Exception!.InnerExceptions.Count == 1 ? t.Exception.InnerException! : t.Exception;
                recipient.Tell(failure is null ? new Status.Failure(cause) : failure(cause), sender);
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}

/// <summary>
/// The temporary sender of an Ask. It is a TaskCompletionSource itself to save an allocation, and it
/// is registered under /temp only when something reads its <see cref="Path"/> (remoting does, to
/// route the reply back), so local asks never touch the registry.
/// </summary>
internal sealed class PromiseActorRef<T>(ActorSystem? system, IActorRef target)
    : TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously), IActorRef
{
    private static readonly ActorPath UnregisteredPath = ActorPath.RootOf(new Address("temp")) / "temp";
    private ActorPath? _path;
    private Timer? _timer;
    private CancellationTokenRegistration _cancellation;
    private TimeSpan _timeout;

    public ActorPath Path
    {
        get
        {
            if (_path is null)
            {
                lock (this)
                {
                    if (_path is null && !Task.IsCompleted)
                    {
                        _path = system?.RegisterTemp(this) ?? UnregisteredPath / "$ask";
                    }
                }
            }

            return _path ?? UnregisteredPath / "$completed";
        }
    }

    public void Start(TimeSpan timeout, CancellationToken cancellationToken)
    {
        _timeout = timeout;
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            _timer = new Timer(static s => ((PromiseActorRef<T>)s!).OnTimeout(), this, timeout, Timeout.InfiniteTimeSpan);
        }

        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.UnsafeRegister(static (s, token) => ((PromiseActorRef<T>)s!).OnCancel(token), this);
        }
    }

    public void Tell(object message, IActorRef? sender)
    {
        var completed = message switch
        {
            Status.Failure failure => TrySetException(failure.Cause),
            T reply => TrySetResult(reply),
            _ => TrySetException(new InvalidCastException(
                $"Ask of {target.Path} expected a {typeof(T).Name} but the reply was a {message.GetType().Name}.")),
        };

        if (completed)
        {
            Cleanup();
        }
        else
        {
            system?.PublishDeadLetter(message, sender, this);
        }
    }

    public override string ToString() => $"[Ask of {target.Path}]";

    private void OnTimeout()
    {
        if (TrySetException(new AskTimeoutException($"Ask of {target.Path} got no reply within {_timeout}.")))
        {
            Cleanup();
        }
    }

    private void OnCancel(CancellationToken token)
    {
        if (TrySetCanceled(token))
        {
            Cleanup();
        }
    }

    private void Cleanup()
    {
        _timer?.Dispose();
        _cancellation.Dispose();
        ActorPath? registered;
        lock (this)
        {
            registered = _path;
        }

        if (registered is not null && system is not null)
        {
            system.UnregisterTemp(registered);
        }
    }
}
