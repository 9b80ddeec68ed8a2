namespace ActorChain.Actors;

/// <summary>Failure, supervision, restart and stop.</summary>
internal sealed partial class ActorCell
{
    private bool _isTerminating;
    private bool _isTerminated;
    private Exception? _pendingRecreateCause;
    private LocalActorRef? _escalatedChild;
    private Exception? _lastFailure;

    /// <summary>
    /// The actor threw (or its async handler faulted, or a child's failure was escalated): stop
    /// taking messages and let the parent decide. The failing message is not retried.
    /// </summary>
    private void HandleInvokeFailure(Exception cause, LocalActorRef? escalatedFrom)
    {
        if (_isTerminating)
        {
            ActorsLog.HookFailed(Log, cause, "Receive while stopping", SelfRef.Path);
            return;
        }

        Suspend(SuspendFailed);
        _lastFailure = cause;
        _failedMessage = escalatedFrom is null && _hasCurrent ? _current.Message : null;
        _escalatedChild = escalatedFrom;
        if ((_suspendReasons & SuspendAsync) != 0)
        {
            _asyncGeneration++;
            Unsuspend(SuspendAsync);
        }

        if (_parent is null)
        {
            ActorsLog.FailedWithoutSupervisor(Log, cause, SelfRef.Path);
            BeginTerminate();
            return;
        }

        _parent.SendSystem(new ChildFailed(SelfRef, cause));
    }

    private void HandleChildFailed(LocalActorRef child, Exception cause)
    {
        if (!TryGetChild(child, out var stats) || stats.Stopping)
        {
            return;
        }

        var strategy = _props.SupervisorStrategy ?? _actor?.InvokeSupervisorStrategy() ?? SupervisorStrategy.DefaultStrategy;
        Directive directive;
        try
        {
            directive = strategy.Decide(cause);
        }
        catch (Exception deciderFailure)
        {
            ActorsLog.HookFailed(Log, deciderFailure, "SupervisorStrategy.Decide", SelfRef.Path);
            directive = Directive.Escalate;
        }

        if (directive == Directive.Restart && !stats.RequestRestartPermission(strategy))
        {
            ActorsLog.RestartLimitReached(Log, child.Path, strategy.MaxNumberOfRetries, strategy.WithinTimeRange);
            directive = Directive.Stop;
        }

        if (directive == Directive.Resume)
        {
            ActorsLog.ChildResumed(Log, cause, child.Path, cause.GetType().Name);
        }
        else
        {
            ActorsLog.ChildFailed(Log, cause, child.Path, cause.GetType().Name, directive);
        }

        switch (directive)
        {
            case Directive.Resume:
                child.Cell.SendSystem(ResumeActor.Instance);
                break;
            case Directive.Restart:
                child.Cell.SendSystem(new RecreateActor(cause));
                break;
            case Directive.Stop:
                Stop(child);
                break;
            default:
                HandleInvokeFailure(cause, child);
                break;
        }
    }

    private void Resume()
    {
        if (_isTerminating)
        {
            return;
        }

        if (_actor is null)
        {
            // Nothing to resume when the constructor or PostRestart failed: Akka restarts instead.
            Recreate(_lastFailure ?? new ActorInitializationException($"{SelfRef.Path} has no instance to resume."));
            return;
        }

        Unsuspend(SuspendFailed);
        _failedMessage = null;
        if (_escalatedChild is { } child)
        {
            _escalatedChild = null;
            child.Cell.SendSystem(ResumeActor.Instance);
        }
    }

    private void Recreate(Exception cause)
    {
        if (_isTerminating)
        {
            return;
        }

        var failedMessage = _failedMessage;
        _failedMessage = null;
        if (_actor is { } failed)
        {
            var previous = t_current;
            t_current = this;
            SafeHook("PreRestart", () => failed.InvokePreRestart(cause, failedMessage));
            t_current = previous;
        }

        _actor = null;
        _behaviors.Clear();
        _timers?.CancelAll();
        SetReceiveTimeout(null);
        _stash?.UnstashAll();

        bool anyStopping;
        lock (_childrenLock)
        {
            anyStopping = _children.Values.Any(static c => c.Stopping);
        }

        if (anyStopping)
        {
            // Children keep their names until they are gone, so the new instance can re-create them.
            _pendingRecreateCause = cause;
            Suspend(SuspendRecreate);
        }
        else
        {
            FinishRecreate(cause);
        }
    }

    private void FinishRecreate(Exception cause)
    {
        _pendingRecreateCause = null;
        Unsuspend(SuspendRecreate);
        try
        {
            NewActor();
            var previous = t_current;
            t_current = this;
            try
            {
                _actor!.InvokePostRestart(cause);
            }
            finally
            {
                t_current = previous;
            }
        }
        catch (Exception ex)
        {
            HandleInvokeFailure(new ActorInitializationException($"{SelfRef.Path} could not be re-created: {ex.Message}", ex), null);
            return;
        }

        Unsuspend(SuspendFailed);
        if (_escalatedChild is { } survivor)
        {
            _escalatedChild = null;
            if (TryGetChild(survivor, out var stats) && !stats.Stopping)
            {
                survivor.Cell.SendSystem(new RecreateActor(cause));
            }
        }
    }

    private void BeginTerminate()
    {
        if (_isTerminating)
        {
            return;
        }

        var children = StopAllChildren(markTerminating: true);
        Suspend(SuspendTerminating);
        _asyncGeneration++;
        _timers?.CancelAll();
        SetReceiveTimeout(null);
        foreach (var child in children)
        {
            child.Cell.SendSystem(TerminateActor.Instance);
        }

        if (children.Length == 0)
        {
            FinishTerminate();
        }
    }

    private void FinishTerminate()
    {
        if (_isTerminated)
        {
            return;
        }

        _isTerminated = true;
        if (_actor is { } actor)
        {
            var previous = t_current;
            t_current = this;
            SafeHook("PostStop", actor.InvokePostStop);
            t_current = previous;
        }

        _actor = null;
        _behaviors.Clear();
        Interlocked.Or(ref _status, StatusClosed);
        if (_capacity > 0)
        {
            WakeSpaceWaiters();
        }

        if (_prepended is not null)
        {
            while (_prepended.TryDequeue(out var envelope))
            {
                _system.PublishDeadLetter(envelope.Message, envelope.Sender, SelfRef);
            }
        }

        if (_stash is not null)
        {
            foreach (var envelope in _stash.ClearStash())
            {
                _system.PublishDeadLetter(envelope.Message, envelope.Sender, SelfRef);
            }
        }

        DrainUserQueueToDeadLetters();
        TellWatchersAndUnwatchAll();
        if (_system.EventStream.HasSubscribers)
        {
            _system.EventStream.Unsubscribe(SelfRef);
        }

        if (_parent is not null)
        {
            _parent.SendSystem(new ChildTerminated(SelfRef));
        }
        else
        {
            _system.OnRootTerminated();
        }

        while (_systemQueue.TryDequeue(out var late))
        {
            HandleSystemMessageAfterClose(late);
        }
    }
}
