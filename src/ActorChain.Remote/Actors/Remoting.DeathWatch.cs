using System.Collections.Concurrent;
using ActorChain.Actors;

namespace ActorChain.Remote.Actors;

/// <summary>
/// Remote death watch. The watcher's node keeps which local actors watch which remote refs (for
/// <see cref="AddressTerminated"/>) and sends RemoteWatch; the watchee's node makes the watcher's
/// <see cref="RemoteActorRef"/> an ordinary watcher of the local actor, whose stop then calls
/// <see cref="RemoteActorRef.NotifyTerminated"/>, which sends the notification back.
/// </summary>
public sealed partial class Remoting
{
    private readonly Dictionary<RemoteActorRef, HashSet<IActorRef>> _watched = [];
    private readonly ConcurrentDictionary<(string Watchee, RemoteActorRef Watcher), IInternalActorRef> _watchedByRemote = new();

    /// <summary>Local watches of actors on other nodes, for tests and metrics.</summary>
    internal int WatchedRemoteActorCount
    {
        get
        {
            lock (_watched)
            {
                return _watched.Count;
            }
        }
    }

    /// <summary>Watches of local actors held for watchers on other nodes.</summary>
    internal int RemoteWatcherCount => _watchedByRemote.Count;

    /// <summary>
    /// The node at <paramref name="address"/> is gone for good (the cluster removed or downed it):
    /// every local watcher of an actor there gets Terminated(existenceConfirmed: false,
    /// addressTerminated: true), and watches that node's actors held here are dropped.
    /// </summary>
    public void AddressTerminated(RemoteAddress address)
    {
        var notices = new List<(RemoteActorRef Watchee, IActorRef Watcher)>();
        lock (_watched)
        {
            foreach (var (watchee, watchers) in _watched)
            {
                if (watchee.RemoteAddress == address)
                {
                    notices.AddRange(watchers.Select(w => (watchee, w)));
                }
            }

            foreach (var (watchee, _) in notices)
            {
                _watched.Remove(watchee);
            }
        }

        foreach (var (watchee, watcher) in notices)
        {
            Notify(watcher, new Terminated(watchee, ExistenceConfirmed: false, AddressTerminated: true));
        }

        foreach (var key in _watchedByRemote.Keys)
        {
            if (key.Watcher.RemoteAddress == address && _watchedByRemote.TryRemove(key, out var watchee))
            {
                watchee.Unwatch(key.Watcher);
            }
        }

        RemotingLog.AddressTerminated(_log, address, notices.Count);
    }

    internal void WatchRemote(RemoteActorRef watchee, IActorRef watcher)
    {
        var watcherPath = WirePath(watcher);
        if (watcherPath.Length == 0)
        {
            return;
        }

        // A remote watcher (a third node watching through us) is notified by the watchee's node directly.
        if (watcher is not RemoteActorRef)
        {
            lock (_watched)
            {
                if (!_watched.TryGetValue(watchee, out var watchers))
                {
                    _watched[watchee] = watchers = [];
                }

                watchers.Add(watcher);
            }
        }

        SendSystemMessage(watchee, watcherPath, RemotingProtocol.RemoteWatch.Instance);
    }

    internal void UnwatchRemote(RemoteActorRef watchee, IActorRef watcher)
    {
        var watcherPath = WirePath(watcher);
        if (watcherPath.Length == 0)
        {
            return;
        }

        ForgetWatch(watchee, watcher);
        SendSystemMessage(watchee, watcherPath, RemotingProtocol.RemoteUnwatch.Instance);
    }

    internal void SendDeathWatchNotification(RemoteActorRef watcher, Terminated terminated)
    {
        var watcheePath = WirePath(terminated.ActorRef);
        if (watcheePath.Length == 0)
        {
            return;
        }

        _watchedByRemote.TryRemove((watcheePath, watcher), out _);
        SendSystemMessage(watcher, watcheePath, new RemotingProtocol.RemoteDeathWatchNotification(terminated.ExistenceConfirmed));
    }

    private void OnRemoteWatch(ActorPath watcheePath, IActorRef? sender)
    {
        if (sender is not RemoteActorRef watcher)
        {
            return;
        }

        var key = watcheePath.ToString();
        if (System.TryResolveLocal(watcheePath, out var local) && local is IInternalActorRef watchee)
        {
            _watchedByRemote[(key, watcher)] = watchee;
            watchee.Watch(watcher);
            return;
        }

        RemotingLog.WatchOfMissingActor(_log, watcher.Path, watcheePath);
        SendSystemMessage(watcher, key, new RemotingProtocol.RemoteDeathWatchNotification(ExistenceConfirmed: false));
    }

    private void OnRemoteUnwatch(ActorPath watcheePath, IActorRef? sender)
    {
        if (sender is RemoteActorRef watcher && _watchedByRemote.TryRemove((watcheePath.ToString(), watcher), out var watchee))
        {
            watchee.Unwatch(watcher);
        }
    }

    private void OnDeathWatchNotification(ActorPath watcherPath, IActorRef? sender, bool existenceConfirmed)
    {
        if (sender is not RemoteActorRef watchee)
        {
            return;
        }

        if (System.TryResolveLocal(watcherPath, out var watcher))
        {
            ForgetWatch(watchee, watcher);
            Notify(watcher, new Terminated(watchee, existenceConfirmed));
        }
    }

    private void ForgetWatch(RemoteActorRef watchee, IActorRef watcher)
    {
        lock (_watched)
        {
            if (_watched.TryGetValue(watchee, out var watchers) && watchers.Remove(watcher) && watchers.Count == 0)
            {
                _watched.Remove(watchee);
            }
        }
    }

    private static void Notify(IActorRef watcher, Terminated terminated)
    {
        if (watcher is IInternalActorRef internalWatcher)
        {
            internalWatcher.NotifyTerminated(terminated);
        }
        else
        {
            watcher.Tell(terminated, null);
        }
    }
}
