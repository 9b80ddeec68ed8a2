using System.Collections.Concurrent;
using ActorChain.Actors;
using ActorChain.Remote.Serialization;
using ActorChain.Remote.Transport;
using Microsoft.Extensions.Logging;

namespace ActorChain.Remote.Actors;

/// <summary>
/// Akka.Remote for an <see cref="ActorSystem"/>: a <see cref="RemoteTransport"/> bound to the
/// system's host:port, <see cref="Resolve(ActorPath)"/> for refs by path (local or
/// <see cref="RemoteActorRef"/>), inbound delivery to local actors, and remote death watch.
/// Delivery is at-most-once and ordered per sender–receiver pair; nothing here retries.
/// </summary>
public sealed partial class Remoting : IInboundHandler, IAsyncDisposable
{
    // Caches of refs and parsed paths by wire text; cleared when full rather than grown without bound.
    private const int MaxCachedPaths = 16_384;

    private readonly ConcurrentDictionary<ActorPath, RemoteActorRef> _remoteRefs = new();
    private readonly ConcurrentDictionary<string, RemoteActorRef> _remoteRefsByText = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ActorPath> _localPaths = new(StringComparer.Ordinal);
    private readonly ILogger _log;
    private volatile ActorSystem? _system;
    private bool _ownsSystem;
    private long _unknownRecipients;
    private long _unsendable;
    private long _undecodable;
    private int _disposed;

    private Remoting(RemoteTransportOptions options, ILoggerFactory loggerFactory, SerializerRegistry? serializers)
    {
        ArgumentNullException.ThrowIfNull(options);
        _log = loggerFactory.CreateLogger<Remoting>();
        Serializers = serializers ?? new SerializerRegistry();
        RemotingProtocol.RegisterOn(Serializers);
        Transport = new RemoteTransport(options, this, loggerFactory.CreateLogger<RemoteTransport>());
    }

    public ActorSystem System => _system ?? throw new InvalidOperationException("Remoting has no actor system yet.");

    public RemoteTransport Transport { get; }

    /// <summary>Every message type sent to or received from remote actors must be registered here (type ids ≥ 0; negative ids are remoting's).</summary>
    public SerializerRegistry Serializers { get; }

    /// <summary>Messages that arrived for a local path with no live actor (they went to dead letters).</summary>
    public long UnknownRecipients => Interlocked.Read(ref _unknownRecipients);

    /// <summary>Messages to remote actors that could not be serialized or sent (they went to dead letters).</summary>
    public long UnsendableMessages => Interlocked.Read(ref _unsendable);

    /// <summary>Inbound envelopes dropped because their type id, payload or recipient path did not decode.</summary>
    public long UndecodableEnvelopes => Interlocked.Read(ref _undecodable);

    /// <summary>
    /// Binds the transport first (port 0 picks a free one), then creates the actor system
    /// <paramref name="systemName"/> at the bound host:port; disposing the remoting terminates it.
    /// </summary>
    public static Remoting Create(
        string systemName,
        RemoteTransportOptions transport,
        ActorSystemSettings? systemSettings = null,
        SerializerRegistry? serializers = null)
    {
        systemSettings ??= ActorSystemSettings.Default;
        var remoting = new Remoting(transport, systemSettings.LoggerFactory, serializers);
        remoting.Transport.Start();
        try
        {
            var address = remoting.Transport.LocalAddress;
            remoting.Bind(ActorSystem.Create(systemName, systemSettings with { Host = address.Host, Port = address.Port }), ownsSystem: true);
        }
        catch
        {
            remoting.Transport.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        return remoting;
    }

    /// <summary>Starts a transport on the host:port of <paramref name="system"/>, which must have both; the system is not terminated on dispose.</summary>
    public static Remoting Attach(ActorSystem system, RemoteTransportOptions transport, SerializerRegistry? serializers = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(transport);
        if (!system.Address.HasGlobalScope)
        {
            throw new ArgumentException($"Actor system {system.Name} has no host:port; set ActorSystemSettings.Host and Port.", nameof(system));
        }

        var remoting = new Remoting(
            transport with { Hostname = system.Address.Host!, Port = system.Address.Port!.Value },
            system.LoggerFactory,
            serializers);
        remoting.Transport.Start();
        remoting.Bind(system, ownsSystem: false);
        return remoting;
    }

    public IActorRef Resolve(string path) => Resolve(ActorPath.Parse(path));

    /// <summary>
    /// The live local actor when the path is this node's (or has no host:port), an empty ref (dead
    /// letters) for a local path with no actor, else the cached <see cref="RemoteActorRef"/>.
    /// </summary>
    public IActorRef Resolve(ActorPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var system = System;
        if (IsLocal(path.Address))
        {
            return system.TryResolveLocal(path, out var local) ? local : new EmptyLocalActorRef(system, path);
        }

        if (!path.Address.HasGlobalScope)
        {
            return new EmptyLocalActorRef(system, path);
        }

        return RemoteRef(path);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // The system goes first, so the Terminated of its stopping actors still reach remote watchers.
        if (_ownsSystem && _system is { } system)
        {
            try
            {
                await system.Terminate().WaitAsync(system.Settings.ShutdownTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                RemotingLog.ShutdownTimedOut(_log, system.Name, system.Settings.ShutdownTimeout);
            }
        }

        await Transport.DisposeAsync().ConfigureAwait(false);
    }

    internal bool IsLocal(Address address) =>
        address == System.Address || (address.System == System.Name && !address.HasGlobalScope);

    private void Bind(ActorSystem system, bool ownsSystem)
    {
        _ownsSystem = ownsSystem;
        _system = system;
        RemotingLog.Started(_log, system.Name, system.Address, Transport.NodeId);
    }

    private RemoteActorRef RemoteRef(ActorPath path)
    {
        // A temp path is an Ask's one-shot reply ref: caching those would grow without bound.
        if (IsTemp(path))
        {
            return new RemoteActorRef(this, path);
        }

        if (_remoteRefs.TryGetValue(path, out var cached))
        {
            return cached;
        }

        if (_remoteRefs.Count >= MaxCachedPaths)
        {
            _remoteRefs.Clear();
        }

        return _remoteRefs.GetOrAdd(path, static (p, self) => new RemoteActorRef(self, p), this);
    }

    private static bool IsTemp(ActorPath path) => path.Elements is ["temp", _];

    /// <summary>The path a remote node uses to reach <paramref name="actor"/>: a local path gets this node's host:port.</summary>
    private string WirePath(IActorRef? actor)
    {
        if (actor is null || ReferenceEquals(actor, ActorRefs.Nobody) || ReferenceEquals(actor, _system?.DeadLetters))
        {
            return string.Empty;
        }

        var path = actor.Path;
        if (path.Address.HasGlobalScope)
        {
            return path.ToString();
        }

        return path.Address.System == System.Name ? path.WithAddress(System.Address).ToString() : string.Empty;
    }
}
