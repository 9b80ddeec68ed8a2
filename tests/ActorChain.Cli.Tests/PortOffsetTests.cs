using System.Net;
using System.Net.Sockets;
using ActorChain.Tests.Harness;
using Xunit.Abstractions;

namespace ActorChain.Cli.Tests;

/// <summary>
/// Three nodes numbered as run.sh numbers them: each HTTP port is its remote port plus one offset, so the
/// cluster-wide commands find every member from <c>--node</c> alone.
/// </summary>
public sealed class OffsetCluster(IMessageSink sink) : IAsyncLifetime
{
    public const int Offset = 17;
    private readonly string _root = Directory.CreateTempSubdirectory("actorchain-cli-offset-").FullName;
    private readonly ThreeNodeCluster.SinkOutput _output = new(sink);
    private MultiNodeCluster _cluster = null!;

    public IReadOnlyList<string> Urls { get; private set; } = [];

    public async Task InitializeAsync()
    {
        _cluster = new MultiNodeCluster(_output);
        string[] names = ["n1", "n2", "n3"];
        var remote = PortsWithFreeOffset(names.Length);
        var seeds = remote.Take(2).Select(p => $"127.0.0.1:{p}").ToList();
        for (var i = 0; i < names.Length; i++)
        {
            _cluster.Define(new NodeSpec(names[i], remote[i], remote[i] + Offset, Path.Combine(_root, names[i]), seeds, NodeSpec.WithVoters(names)));
        }

        await Task.WhenAll(names.Select(_cluster.StartNodeAsync));
        await _cluster.AwaitMembersUpAsync(names);
        Urls = [.. names.Select(n => _cluster[n].HttpAddress.ToString())];
        var clients = Urls.Select(u => new HttpClient { BaseAddress = new Uri(u) }).ToList();
        try
        {
            await ThreeNodeCluster.AwaitReadyAsync(clients);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private static int[] PortsWithFreeOffset(int count)
    {
        for (var attempt = 0; ; attempt++)
        {
            var ports = NodeSpec.FreePorts(count);
            if (ports.All(p => p + Offset < 65536 && IsFree(p + Offset)) || attempt == 20)
            {
                return ports;
            }
        }
    }

    private static bool IsFree(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

public sealed class PortOffsetTests(OffsetCluster cluster) : IClassFixture<OffsetCluster>
{
    [Fact]
    public async Task ChainHeadAll_FromOneNode_FindsEveryMembersHttpAddress()
    {
        var all = (await CliRun.ExpectAsync(0, "chain", "head", "--all", "--node", cluster.Urls[1], "--json")).Json();

        Assert.Equal(cluster.Urls, all.GetProperty("heads").EnumerateArray().Select(h => h.GetProperty("url").GetString()));
        Assert.Equal(["n1", "n2", "n3"], all.GetProperty("heads").EnumerateArray().Select(h => h.GetProperty("nodeId").GetString()));
    }

    [Fact]
    public async Task ChainDiff_AndLoad_FromOneNode_UseEveryMember()
    {
        var diff = (await CliRun.ExpectAsync(0, "chain", "diff", "--node", cluster.Urls[0], "--json")).Json();
        var load = (await CliRun.ExpectAsync(0, "load", "--node", cluster.Urls[2], "--duration", "1s", "--clients", "3", "--readers", "0", "--file-every", "0", "--key-prefix", "po-", "--json")).Json();

        Assert.Equal(3, diff.GetProperty("heads").GetArrayLength());
        Assert.True(diff.GetProperty("agree").GetBoolean());
        Assert.Equal(cluster.Urls.Order(StringComparer.Ordinal), load.GetProperty("endpoints").EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AWrongOffset_ShowsTheUnreachableMembers_AndExits1()
    {
        var result = await CliRun.ExpectAsync(1, "chain", "head", "--all", "--http-port-offset", "1", "--node", cluster.Urls[0]);

        Assert.Contains("2 of 3 nodes did not answer.", result.Out, StringComparison.Ordinal);
    }
}
