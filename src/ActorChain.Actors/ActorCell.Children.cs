using System.Globalization;

namespace ActorChain.Actors;

internal sealed partial class ActorCell
{
    private readonly Lock _childrenLock = new();
    private readonly Dictionary<string, ChildRestartStats> _children = new(StringComparer.Ordinal);
    private long _nextChildId;

    public IEnumerable<IActorRef> Children
    {
        get
        {
            lock (_childrenLock)
            {
                return [.. _children.Values.Select(static c => (IActorRef)c.Child)];
            }
        }
    }

    public IActorRef ActorOf(Props props, string? name = null) => AttachChild(props, name, reservedNamesAllowed: false);

    public IActorRef Child(string name) => GetChildCell(name)?.SelfRef ?? ActorRefs.Nobody;

    internal ActorCell? GetChildCell(string name)
    {
        lock (_childrenLock)
        {
            return _children.TryGetValue(name, out var stats) ? stats.Child.Cell : null;
        }
    }

    internal LocalActorRef AttachChild(Props props, string? name, bool reservedNamesAllowed)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (name is null)
        {
            name = "$" + Interlocked.Increment(ref _nextChildId).ToString(CultureInfo.InvariantCulture);
        }
        else if (!ActorPath.IsValidElement(name) || (!reservedNamesAllowed && name.StartsWith('$')))
        {
            throw new InvalidActorNameException(
                $"Actor name '{name}' is not valid: it must be non-empty, must not start with '$' and must not contain '/', '#', '?', '%' or whitespace.");
        }

        var child = new ActorCell(_system, props, this, name);
        ChildRestartStats stats;
        bool parentTerminating;
        lock (_childrenLock)
        {
            if (_children.ContainsKey(name))
            {
                throw new InvalidActorNameException($"Actor name '{name}' is not unique under {SelfRef.Path}.");
            }

            stats = new ChildRestartStats(child.SelfRef);
            _children.Add(name, stats);
            parentTerminating = _isTerminating;
            stats.Stopping = parentTerminating;
        }

        child.SendSystem(CreateActor.Instance);
        if (parentTerminating)
        {
            child.SendSystem(TerminateActor.Instance);
        }

        return child.SelfRef;
    }

    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is LocalActorRef local)
        {
            if (local.Cell._parent == this)
            {
                lock (_childrenLock)
                {
                    if (_children.TryGetValue(local.Path.Name, out var stats) && stats.Child == local)
                    {
                        stats.Stopping = true;
                    }
                }
            }

            local.Cell.SendSystem(TerminateActor.Instance);
        }
        else
        {
            actor.Tell(PoisonPill.Instance, SelfRef);
        }
    }

    private bool TryGetChild(LocalActorRef child, out ChildRestartStats stats)
    {
        lock (_childrenLock)
        {
            if (_children.TryGetValue(child.Path.Name, out stats!) && stats.Child == child)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Marks all children stopping and returns them.</summary>
    private LocalActorRef[] StopAllChildren(bool markTerminating)
    {
        lock (_childrenLock)
        {
            if (markTerminating)
            {
                _isTerminating = true;
            }

            var stopping = new LocalActorRef[_children.Count];
            var i = 0;
            foreach (var stats in _children.Values)
            {
                stats.Stopping = true;
                stopping[i++] = stats.Child;
            }

            return stopping;
        }
    }

    private void HandleChildTerminated(LocalActorRef child)
    {
        int remaining;
        bool anyStopping;
        lock (_childrenLock)
        {
            if (_children.TryGetValue(child.Path.Name, out var stats) && stats.Child == child)
            {
                _children.Remove(child.Path.Name);
            }

            remaining = _children.Count;
            anyStopping = _children.Values.Any(static c => c.Stopping);
        }

        if (_escalatedChild == child)
        {
            _escalatedChild = null;
        }

        if (_isTerminating)
        {
            if (remaining == 0)
            {
                FinishTerminate();
            }
        }
        else if (_pendingRecreateCause is { } cause && !anyStopping)
        {
            FinishRecreate(cause);
        }
    }
}
