using System.Net;
using ActorChain.Node.Configuration;

namespace ActorChain.Node;

/// <summary>One running node: its HTTP gateway and, behind it, the actor system.</summary>
internal sealed class ActorChainNode : IAsyncDisposable
{
    private readonly WebApplication _web;

    private ActorChainNode(WebApplication web, NodeSettings settings)
    {
        _web = web;
        Settings = settings;
    }

    public NodeSettings Settings { get; }

    /// <summary>The HTTP address actually bound (the configured port, or the one the OS chose for port 0).</summary>
    public Uri HttpAddress => new(_web.Urls.First());

    public static async Task<ActorChainNode> StartAsync(NodeSettings settings, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(settings.DataDirectory);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddConfiguration(settings.Configuration);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(BindAddress(settings.Hostname), settings.HttpPort));
        builder.Services.AddSingleton(settings);

        var web = builder.Build();
        web.MapGet("/health/live", () => Results.Text("live\n"));
        await web.StartAsync(cancellationToken);
        return new ActorChainNode(web, settings);
    }

    public Task WaitForShutdownAsync() => _web.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        await _web.StopAsync();
        await _web.DisposeAsync();
    }

    // A literal address binds that interface; a name (a pod's DNS name, a container host name)
    // binds every interface, since Kestrel cannot bind a name and peers reach the node through it.
    private static IPAddress BindAddress(string hostname) =>
        hostname == "localhost" ? IPAddress.Loopback
        : IPAddress.TryParse(hostname, out var address) ? address
        : IPAddress.Any;
}
