namespace ActorChain.Actors;

internal sealed partial class ActorCell
{
    private HashSet<IActorRef>? _watching;
    private HashSet<IActorRef>? _watchedBy;
    private HashSet<IActorRef>? _terminatedQueued;

    public IActorRef Watch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (subject.Equals(SelfRef) || !(_watching ??= []).Add(subject))
        {
            return subject;
        }

        if (subject is IInternalActorRef watchable)
        {
            watchable.Watch(SelfRef);
        }
        else
        {
            SendSystem(new DeathWatchNotification(new Terminated(subject, ExistenceConfirmed: false)));
        }

        return subject;
    }

    public IActorRef Unwatch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var wasWatching = _watching?.Remove(subject) == true;
        _terminatedQueued?.Remove(subject);
        if (wasWatching && subject is IInternalActorRef watchable)
        {
            watchable.Unwatch(SelfRef);
        }

        return subject;
    }

    /// <summary>Death-watch notifications travel as system messages to refs that take part in death watch.</summary>
    internal static void DeliverTerminated(IActorRef watcher, Terminated terminated)
    {
        if (watcher is IInternalActorRef watchable)
        {
            watchable.NotifyTerminated(terminated);
        }
        else
        {
            watcher.Tell(terminated, null);
        }
    }

    private void AddWatcher(IActorRef watcher)
    {
        if (!watcher.Equals(SelfRef))
        {
            (_watchedBy ??= []).Add(watcher);
        }
    }

    /// <summary>
    /// As in Akka, the Terminated goes to the back of the user queue, and only if the actor still
    /// watches the subject when it is dequeued (so Unwatch also suppresses one already queued).
    /// </summary>
    private void WatchedActorTerminated(Terminated terminated)
    {
        if (_isTerminating || _watching?.Remove(terminated.ActorRef) != true)
        {
            return;
        }

        (_terminatedQueued ??= []).Add(terminated.ActorRef);
        EnqueueInternal(new QueuedTerminated(terminated));
    }

    private void TellWatchersAndUnwatchAll()
    {
        if (_watchedBy is not null)
        {
            var terminated = new Terminated(SelfRef);
            foreach (var watcher in _watchedBy)
            {
                DeliverTerminated(watcher, terminated);
            }

            _watchedBy = null;
        }

        if (_watching is not null)
        {
            foreach (var subject in _watching)
            {
                if (subject is IInternalActorRef watchable)
                {
                    watchable.Unwatch(SelfRef);
                }
            }

            _watching = null;
        }

        _terminatedQueued = null;
    }
}
