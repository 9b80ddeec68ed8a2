using System.Net.Http.Json;
using System.Text.Json;
using ActorChain.Chain;
using ActorChain.Persistence;
using ActorChain.Tests.Harness;
using Xunit.Abstractions;

namespace ActorChain.Gateway.Tests.Replication;

/// <summary>
/// Three real nodes on loopback, each with its own file store (the default &lt;data&gt;/files), so
/// uploaded bytes reach other nodes only by replication. Started once per test class.
/// </summary>
public sealed class ReplicationCluster : IAsyncLifetime
{
    public static readonly string[] Names = ["n1", "n2", "n3"];

    private readonly Dictionary<string, HttpClient> _clients = [];

    internal MultiNodeCluster Nodes { get; } = new(new SilentOutput());

    public HttpClient this[string name] => _clients[name];

    public async Task InitializeAsync()
    {
        await Nodes.StartAsync(3, overrides: _ => new Dictionary<string, string?>
        {
            ["actorchain:gateway:maxfilesize"] = "8MiB",
            ["actorchain:chain:foreignentrydelay"] = "50ms",
        });
        await Nodes.AwaitMembersUpAsync(Names);
        foreach (var name in Names)
        {
            _clients[name] = new HttpClient { BaseAddress = Nodes[name].HttpAddress, Timeout = TimeSpan.FromSeconds(60) };
            await AwaitReadyAsync(name);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        await Nodes.DisposeAsync();
    }

    /// <summary>The node's own store, read directly: what is there without any GET.</summary>
    internal LocalFileStore Store(string name) => new(Path.Combine(Nodes.Spec(name).DataDirectory, "files"));

    internal bool Holds(string name, string sha256) => File.Exists(Store(name).PathOf(Hash256.Parse(sha256)));

    internal async Task RestartAsync(string name)
    {
        await Nodes.RestartAsync(name);
        _clients[name].Dispose();
        _clients[name] = new HttpClient { BaseAddress = Nodes[name].HttpAddress, Timeout = TimeSpan.FromSeconds(60) };
        await Nodes.AwaitMembersUpAsync(Names);
        await AwaitReadyAsync(name);
    }

    internal async Task<long> HeadAsync(string name) =>
        (await _clients[name].GetFromJsonAsync<JsonElement>("/api/chain/head")).GetProperty("height").GetInt64();

    private Task AwaitReadyAsync(string name) =>
        Eventually.UntilAsync(
            async () => (await _clients[name].GetAsync("/health/ready")).IsSuccessStatusCode,
            MultiNodeCluster.DefaultWait,
            $"{name} did not become ready");

    private sealed class SilentOutput : ITestOutputHelper
    {
        public void WriteLine(string message)
        {
        }

        public void WriteLine(string format, params object[] args)
        {
        }
    }
}
