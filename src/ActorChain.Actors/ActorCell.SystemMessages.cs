namespace ActorChain.Actors;

internal sealed partial class ActorCell
{
    private void ProcessSystemMessages()
    {
        while (_systemQueue.TryDequeue(out var message))
        {
            if (_isTerminated)
            {
                HandleSystemMessageAfterClose(message);
                continue;
            }

            try
            {
                ProcessSystemMessage(message);
            }
            catch (Exception ex)
            {
                ActorsLog.HookFailed(Log, ex, message.GetType().Name, SelfRef.Path);
            }
        }
    }

    private void ProcessSystemMessage(SystemMessage message)
    {
        switch (message)
        {
            case CreateActor:
                Create();
                break;
            case TerminateActor:
                BeginTerminate();
                break;
            case WatchActor watch:
                AddWatcher(watch.Watcher);
                break;
            case UnwatchActor unwatch:
                _watchedBy?.Remove(unwatch.Watcher);
                break;
            case DeathWatchNotification notification:
                WatchedActorTerminated(notification.Terminated);
                break;
            case ChildFailed failed:
                HandleChildFailed(failed.Child, failed.Cause);
                break;
            case ChildTerminated childTerminated:
                HandleChildTerminated(childTerminated.Child);
                break;
            case ResumeActor:
                Resume();
                break;
            case RecreateActor recreate:
                Recreate(recreate.Cause);
                break;
            case RunContinuation continuation:
                RunContinuationOnTurn(continuation);
                break;
            case AsyncHandlerCompleted completed:
                AsyncHandlerFinished(completed);
                break;
        }
    }

    /// <summary>After the actor is gone a watch is answered at once; everything else is moot.</summary>
    private void HandleSystemMessageAfterClose(SystemMessage message)
    {
        if (message is WatchActor watch && !watch.Watcher.Equals(SelfRef))
        {
            DeliverTerminated(watch.Watcher, new Terminated(SelfRef));
        }
    }
}
