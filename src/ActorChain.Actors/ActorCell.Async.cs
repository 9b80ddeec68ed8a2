using System.Runtime.ExceptionServices;

namespace ActorChain.Actors;

/// <summary>ReceiveAsync and receive timeouts.</summary>
internal sealed partial class ActorCell
{
    private int _asyncGeneration;
    private TimeSpan? _receiveTimeout;
    private Timer? _receiveTimeoutTimer;
    private int _receiveTimeoutGeneration;

    public TimeSpan? ReceiveTimeout => _receiveTimeout;

    /// <summary>
    /// Runs an async handler with a synchronization context that posts its continuations back to this
    /// actor as system messages, and takes no user message until the task has completed.
    /// </summary>
    internal void RunTask<T>(Func<T, Task> handler, T argument)
    {
        var generation = ++_asyncGeneration;
        var context = new ActorSynchronizationContext(this, generation);
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(context);
        Task task;
        try
        {
            task = handler(argument);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        if (task.IsCompleted)
        {
            ThrowIfFailed(task);
            return;
        }

        Suspend(SuspendAsync);
        task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(() => SendSystem(new AsyncHandlerCompleted(task, generation)));
    }

    private void RunContinuationOnTurn(RunContinuation continuation)
    {
        if (continuation.Generation != _asyncGeneration || _isTerminating)
        {
            return;
        }

        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(continuation.Context);
        try
        {
            continuation.Callback(continuation.State);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    private void AsyncHandlerFinished(AsyncHandlerCompleted completed)
    {
        if (completed.Generation != _asyncGeneration || (_suspendReasons & SuspendAsync) == 0 || _isTerminating)
        {
            return;
        }

        Unsuspend(SuspendAsync);
        try
        {
            ThrowIfFailed(completed.Task);
        }
        catch (Exception ex)
        {
            HandleInvokeFailure(ex, null);
        }

        _hasCurrent = false;
        _current = default;
        if (_receiveTimeout is not null && !_isTerminating)
        {
            ResetReceiveTimeout();
        }
    }

    private static void ThrowIfFailed(Task task)
    {
        if (task.IsFaulted)
        {
            var exception = task.Exception!.InnerExceptions.Count == 1 ? task.Exception.InnerException! : task.Exception;
            ExceptionDispatchInfo.Throw(exception);
        }

        if (task.IsCanceled)
        {
            throw new TaskCanceledException(task);
        }
    }

    public void SetReceiveTimeout(TimeSpan? timeout)
    {
        if (timeout is { } t && t > TimeSpan.Zero && t != Timeout.InfiniteTimeSpan)
        {
            _receiveTimeout = t;
            ResetReceiveTimeout();
            return;
        }

        _receiveTimeout = null;
        Interlocked.Increment(ref _receiveTimeoutGeneration);
        _receiveTimeoutTimer?.Dispose();
        _receiveTimeoutTimer = null;
    }

    /// <summary>
    /// A tick carries the generation it was armed with; any later activity makes it stale. Each arm
    /// gets its own timer holding its generation, because a shared timer's callback could read a
    /// generation armed after it started firing and deliver a timeout the actor never idled for.
    /// </summary>
    private void ResetReceiveTimeout()
    {
        var generation = Interlocked.Increment(ref _receiveTimeoutGeneration);
        _receiveTimeoutTimer?.Dispose();
        _receiveTimeoutTimer = new Timer(
            static s =>
            {
                var (cell, armedGeneration) = ((ActorCell, int))s!;
                cell.EnqueueInternal(new ReceiveTimeoutTick(armedGeneration));
            },
            (this, generation),
            _receiveTimeout!.Value,
            Timeout.InfiniteTimeSpan);
    }

    private sealed class ActorSynchronizationContext(ActorCell cell, int generation) : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state) =>
            cell.SendSystem(new RunContinuation(this, d, state, generation));

        public override void Send(SendOrPostCallback d, object? state) =>
            throw new NotSupportedException("Synchronous Send to an actor would deadlock; use await.");

        public override SynchronizationContext CreateCopy() => this;
    }
}
