using System.Net;
using ActorChain.Actors;
using ActorChain.Cluster;
using ActorChain.Consensus.Actors;
using ActorChain.Consensus.Wire;
using ActorChain.Node.Chain;
using ActorChain.Node.Configuration;
using ActorChain.Remote;
using ActorChain.Remote.Actors;

namespace ActorChain.Node;

/// <summary>Hooks for what runs inside a node beside membership (the consensus layer, tests).</summary>
internal sealed class NodeStartOptions
{
    /// <summary>Replaces the console logging (the node-id formatter) when set.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>Maps more endpoints once the actor system, remoting and cluster run, before HTTP starts.</summary>
    public Action<ActorChainNode, WebApplication>? MapEndpoints { get; init; }

    /// <summary>Replaces the default (voter=false, height=-1, headHash=null) member chain view.</summary>
    public Func<ActorChainNode, IMemberChainStatus>? ChainStatus { get; init; }
}

/// <summary>
/// One running node: the actor system named after the cluster id with remoting at hostname:port,
/// the cluster on top of it, and the HTTP gateway. It stops by itself, and <see cref="Completion"/>
/// completes with the process exit code, when the node leaves (0) or is downed or removed (3).
/// </summary>
internal sealed partial class ActorChainNode : IAsyncDisposable
{
    public const int ExitCodeRemoved = 3;

    /// <summary>The chain actor stopped (a store failure): the node exits so that a supervisor restarts it from its store.</summary>
    public const int ExitCodeChainStopped = 4;

    private readonly TaskCompletionSource<int> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _log;
    private int _leaveRequested;
    private volatile bool _abort;
    private int _disposed;

    private ActorChainNode(WebApplication web, NodeSettings settings, Remoting remoting, Cluster.Cluster cluster, RemoteClusterTransport transport, NodeChain chain)
    {
        Chain = chain;
        Web = web;
        Settings = settings;
        Remoting = remoting;
        Cluster = cluster;
        ClusterTransport = transport;
        _log = web.Services.GetRequiredService<ILoggerFactory>().CreateLogger<ActorChainNode>();
    }

    public NodeSettings Settings { get; }

    public WebApplication Web { get; }

    public Remoting Remoting { get; }

    public ActorSystem System => Remoting.System;

    public Cluster.Cluster Cluster { get; }

    public RemoteClusterTransport ClusterTransport { get; }

    /// <summary>The chain of this node: store, chain actor and what the gateway calls (<see cref="NodeChain.Service"/>).</summary>
    public NodeChain Chain { get; }

    public IMemberChainStatus ChainStatus { get; private set; } = UnknownMemberChainStatus.Instance;

    /// <summary>The peer address actually bound (the configured port, or the one the OS chose for port 0).</summary>
    public RemoteAddress RemoteAddress => Remoting.Transport.LocalAddress;

    /// <summary>The HTTP address actually bound (the configured port, or the one the OS chose for port 0).</summary>
    public Uri HttpAddress => new(Web.Urls.First());

    /// <summary>The process exit code once the node has stopped: 0 after a leave or a signal, <see cref="ExitCodeRemoved"/> when downed or removed.</summary>
    public Task<int> Completion => _completion.Task;

    public bool LeaveRequested => Volatile.Read(ref _leaveRequested) != 0;

    public static async Task<ActorChainNode> StartAsync(NodeSettings settings, NodeStartOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new NodeStartOptions();
        Directory.CreateDirectory(settings.DataDirectory);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddConfiguration(settings.Configuration);
        builder.Logging.ClearProviders();
        if (options.ConfigureLogging is { } configureLogging)
        {
            configureLogging(builder.Logging);
        }
        else
        {
            builder.Logging.AddConsole(o => o.FormatterName = NodeLogFormatter.Name)
                .AddConsoleFormatter<NodeLogFormatter, NodeLogFormatterOptions>(o => o.NodeId = settings.NodeId);
        }

        // Per-request logs would drown membership changes; failures still show.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // The hosting layer writes only per-request Debug/Information logs, but while its logger is enabled at any
        // level it starts an Activity and a log scope for every request: about 1 KB and a trace id per write, unused.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(BindAddress(settings.Hostname), settings.HttpPort, listen =>
        {
            if (settings.Gateway.HttpsCertificate is { } certificate)
            {
                listen.UseHttps(certificate);
            }
        }));
        builder.Services.AddSingleton(settings);
        builder.Services.AddProblemDetails();
        AddOperations(builder, settings);

        // Kestrel reports a malformed request body (bad chunking, a body cut short) by throwing from the
        // body read inside an endpoint; that is the client's fault, so answer with its 4xx, not a 500.
        builder.Services.Configure<ExceptionHandlerOptions>(o => o.StatusCodeSelector = static e =>
            e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.LeaveTimeout + TimeSpan.FromSeconds(10));
        options.ConfigureServices?.Invoke(builder.Services);

        var web = builder.Build();
        var loggerFactory = web.Services.GetRequiredService<ILoggerFactory>();
        Remoting? remoting = null;
        NodeChain? chain = null;
        try
        {
            remoting = Remoting.Create(settings.ClusterId, settings.Remote, new ActorSystemSettings { LoggerFactory = loggerFactory });

            // Before the store is opened: peers' chain messages that arrive meanwhile decode (and wait for the actor) instead of being dropped as unknown types.
            ConsensusSerializers.Register(remoting.Serializers);
            HeadGossip.Register(remoting.Serializers);
            var cluster = RemoteCluster.Start(remoting, settings.Cluster, out var transport);
            chain = await NodeChain.StartAsync(settings, remoting, cluster, transport, loggerFactory, cancellationToken);
            var node = new ActorChainNode(web, settings, remoting, cluster, transport, chain);
            node.ChainStatus = options.ChainStatus?.Invoke(node) ?? chain;
            node.MapClusterEndpoints();
            node.UseOperations();
            node.MapChainEndpoints();
            node.MapGatewayEndpoints();
            options.MapEndpoints?.Invoke(node, web);
            await web.StartAsync(cancellationToken);
            node.JoinCluster();
            node.WatchChain();
            return node;
        }
        catch
        {
            if (remoting is not null)
            {
                await remoting.DisposeAsync();
            }

            if (chain is not null)
            {
                await chain.DisposeAsync();
            }

            await web.DisposeAsync();
            throw;
        }
    }

    /// <summary>Asks the cluster to let this node leave; the node stops once it is removed (or after the leave timeout).</summary>
    public void RequestLeave()
    {
        if (Interlocked.Exchange(ref _leaveRequested, 1) == 0)
        {
            NodeLog.Leaving(_log, Settings.NodeId);
            Cluster.Leave(Cluster.SelfAddress);
            _ = StopAfterLeaveAsync();
        }
    }

    /// <summary>Runs until the node stops (a signal, a leave, a down) and returns the process exit code.</summary>
    public async Task<int> RunAsync()
    {
        await Web.WaitForShutdownAsync();
        _completion.TrySetResult(0);
        return await _completion.Task;
    }

    /// <summary>Stops without leaving the cluster, as a crash would (peers find out through their failure detectors).</summary>
    public ValueTask AbortAsync()
    {
        _abort = true;
        return DisposeAsync();
    }

    // A graceful stop journals what the batch window still holds, so the node starts again at the head it stopped at.
    private async Task FlushJournalBeforeStopAsync()
    {
        try
        {
            await Chain.Client.FlushJournalAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is TimeoutException or ChainUnavailableException)
        {
            NodeLog.JournalNotFlushedAtStop(_log, Settings.NodeId, e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Web.StopAsync();
        if (!_abort)
        {
            await FlushJournalBeforeStopAsync();
        }

        await Remoting.DisposeAsync();
        await Chain.DisposeAsync();
        await Web.DisposeAsync();
        _completion.TrySetResult(0);
    }

    private void WatchChain() =>
        System.ActorOf(Props.Create(() => new ChainWatcher(Chain.Client.Actor, OnChainStopped)), "chain-watcher");

    private void OnChainStopped()
    {
        if (Volatile.Read(ref _disposed) != 0 || Web.Lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return;
        }

        NodeLog.ChainStopped(_log, Settings.NodeId, ExitCodeChainStopped);
        _completion.TrySetResult(ExitCodeChainStopped);
        Web.Lifetime.StopApplication();
    }

    private void JoinCluster()
    {
        // Seeds were given to the cluster's settings and are joined as it starts; with none, this node forms a cluster of its own.
        if (Settings.Seeds.Count == 0)
        {
            Cluster.Join(Cluster.SelfAddress);
        }

        Web.Lifetime.ApplicationStopping.Register(LeaveOnStop);
        _ = Cluster.WhenTerminated.ContinueWith(_ => OnClusterTerminated(), TaskScheduler.Default);
    }

    // Runs inside the host's stop, before Kestrel and the actor system stop: peers learn of the
    // leave from this node rather than from their failure detectors.
    private void LeaveOnStop()
    {
        if (Cluster.IsTerminated || _abort)
        {
            return;
        }

        Interlocked.Exchange(ref _leaveRequested, 1);
        Cluster.Leave(Cluster.SelfAddress);
        if (!Cluster.WhenTerminated.Wait(Settings.LeaveTimeout))
        {
            NodeLog.LeaveTimedOut(_log, Settings.NodeId, Settings.LeaveTimeout);
        }
    }

    private async Task StopAfterLeaveAsync()
    {
        try
        {
            await Cluster.WhenTerminated.WaitAsync(Settings.LeaveTimeout);
        }
        catch (TimeoutException)
        {
            NodeLog.LeaveTimedOut(_log, Settings.NodeId, Settings.LeaveTimeout);
            Web.Lifetime.StopApplication();
        }
    }

    private void OnClusterTerminated()
    {
        if (LeaveRequested)
        {
            NodeLog.Left(_log, Settings.NodeId);
            _completion.TrySetResult(0);
        }
        else
        {
            NodeLog.RemovedFromCluster(_log, Settings.NodeId, Cluster.SelfMember.Status, ExitCodeRemoved);
            _completion.TrySetResult(ExitCodeRemoved);
        }

        Web.Lifetime.StopApplication();
    }

    // A literal address binds that interface; a name (a pod's DNS name, a container host name)
    // binds every interface, since Kestrel cannot bind a name and peers reach the node through it.
    private static IPAddress BindAddress(string hostname) =>
        hostname == "localhost" ? IPAddress.Loopback
        : IPAddress.TryParse(hostname, out var address) ? address
        : IPAddress.Any;
}
