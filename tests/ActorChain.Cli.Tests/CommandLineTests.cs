using System.Net;
using System.Net.Sockets;

namespace ActorChain.Cli.Tests;

/// <summary>Parsing, exit codes and failure messages: nothing here needs a running node.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("nosuchcommand")]
    [InlineData("cluster")]
    [InlineData("cluster", "down")]
    [InlineData("chain", "block", "twelve")]
    [InlineData("kv", "get")]
    [InlineData("kv", "put", "k", "v", "--file", "/dev/null")]
    [InlineData("kv", "put", "k")]
    [InlineData("files", "tag", "abc")]
    [InlineData("files", "upload", "/no/such/folder/anywhere")]
    [InlineData("files", "upload", ".", "--parallel", "0")]
    [InlineData("load", "--clients", "0")]
    [InlineData("load", "--target", "consul")]
    [InlineData("load", "--target", "etcd")]
    [InlineData("load", "--duration", "soon")]
    [InlineData("chain", "head", "--node", "ftp://example")]
    [InlineData("cluster", "tail", "--interval", "0s")]
    [InlineData("cluster", "voter")]
    [InlineData("cluster", "voter", "add")]
    [InlineData("cluster", "voter", "remove", "")]
    [InlineData("cluster", "voters", "--ca-cert", "/no/such/dir/ca.pem")]
    public async Task UsageError_ExitsWith2_AndSaysWhatIsWrong_OnStandardError(params string[] args)
    {
        // A port nobody listens on: a command that wrongly reached the network would exit 1, not 2.
        var result = await CliRun.RunAsync([.. args, "--node", $"http://127.0.0.1:{ClosedPort()}"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("actorchain: ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cluster", "show")]
    [InlineData("chain", "head")]
    [InlineData("chain", "verify")]
    [InlineData("kv", "get", "k")]
    [InlineData("files", "search", "--tag", "x")]
    [InlineData("tasks", "claim", "t1")]
    [InlineData("load", "--duration", "1s")]
    [InlineData("cluster", "voters")]
    [InlineData("cluster", "voter", "remove", "n3")]
    public async Task UnreachableNode_ExitsWith1_WithOneLineNamingTheAddress(params string[] args)
    {
        var url = $"http://127.0.0.1:{ClosedPort()}/";

        var result = await CliRun.RunAsync([.. args, "--node", url]);

        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"actorchain: cannot reach the node at {url}: connection refused (is a node running there?)", line.TrimEnd('\r'));
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task LoadAgainstEtcd_WithAnEndpointDown_ExitsWith1_BeforeStarting()
    {
        var url = $"http://127.0.0.1:{ClosedPort()}/";

        var result = await CliRun.RunAsync("load", "--target", "etcd", "--endpoints", url, "--duration", "1s");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith($"actorchain: cannot reach the node at {url}: ", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task NodeAddress_DefaultsTo_ACTORCHAIN_NODE()
    {
        var url = $"http://127.0.0.1:{ClosedPort()}/";

        var result = await CliRun.RunAsync(["chain", "head"], new Dictionary<string, string> { ["ACTORCHAIN_NODE"] = url }, CancellationToken.None);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(url, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodeAddress_WithoutEnvironment_Is8081OnLoopback()
    {
        var result = await CliRun.RunAsync(["chain", "head", "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("[default: http://127.0.0.1:8081/]", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ListsEveryCommandGroup_AndExits0()
    {
        var result = await CliRun.ExpectAsync(0, "--help");

        foreach (var command in (string[])["cluster", "chain", "kv", "tasks", "files", "load"])
        {
            Assert.Contains($"  {command} ", result.Out, StringComparison.Ordinal);
        }

        Assert.Contains("--ca-cert <file>", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiKey_FromOptionOrEnvironment_IsSentAsBearer()
    {
        using var node = new CannedNode(200, "application/json", """{"nodeId":"x","height":1,"hash":"ab"}""");
        var serve = node.ServeAsync(requests: 2);

        var byOption = await CliRun.RunAsync("chain", "head", "--node", node.Url, "--api-key", "secret-1");
        var byEnvironment = await CliRun.RunAsync(["chain", "head", "--node", node.Url], new Dictionary<string, string> { ["ACTORCHAIN_API_KEY"] = "secret-2" }, CancellationToken.None);
        var seen = await serve.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((0, 0), (byOption.ExitCode, byEnvironment.ExitCode));
        Assert.Equal(["Bearer secret-1", "Bearer secret-2"], seen);
    }

    [Fact]
    public async Task ErrorAnswer_ExitsWith1_ShowingTheProblemDetail()
    {
        using var node = new CannedNode(503, "application/problem+json", """{"title":"Chain unavailable","status":503,"detail":"no quorum of voters"}""");
        var serve = node.ServeAsync(requests: 1);

        var result = await CliRun.RunAsync("kv", "put", "k", "v", "--node", node.Url);
        await serve.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("503 Chain unavailable: no quorum of voters", result.Error, StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Answers every request with one canned response and remembers each request's Authorization header.</summary>
    private sealed class CannedNode : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly int _status;
        private readonly string _contentType;
        private readonly byte[] _body;

        public CannedNode(int status, string contentType, string body)
        {
            (_status, _contentType, _body) = (status, contentType, System.Text.Encoding.UTF8.GetBytes(body));
            Url = $"http://127.0.0.1:{ClosedPort()}/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
        }

        public string Url { get; }

        public Task<List<string?>> ServeAsync(int requests) => Task.Run(async () =>
        {
            var seen = new List<string?>();
            for (var i = 0; i < requests; i++)
            {
                var context = await _listener.GetContextAsync();
                seen.Add(context.Request.Headers["Authorization"]);
                context.Response.StatusCode = _status;
                context.Response.ContentType = _contentType;
                await context.Response.OutputStream.WriteAsync(_body);
                context.Response.Close();
            }

            return seen;
        });

        public void Dispose() => ((IDisposable)_listener).Dispose();
    }
}
