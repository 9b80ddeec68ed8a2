using ActorChain.Actors;
using ActorChain.TestKit;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace ActorChain.Cluster.Tests;

/// <summary>Several actor systems in one process, each a cluster node on one <see cref="InMemoryClusterNetwork"/>.</summary>
internal sealed class ClusterHarness : IDisposable
{
    private readonly List<ClusterNode> _nodes = [];
    private readonly ILoggerFactory? _loggerFactory;
    private readonly XunitLoggerProvider? _provider;
    private int _nextPort = 25520;

    public ClusterHarness(ITestOutputHelper? output = null)
    {
        if (output is not null)
        {
            _provider = new XunitLoggerProvider(output);
            _loggerFactory = LoggerFactory.Create(b => b.AddProvider(_provider).SetMinimumLevel(LogLevel.Information));
        }
    }

    public InMemoryClusterNetwork Network { get; } = new();

    public IReadOnlyList<ClusterNode> Nodes => _nodes;

    /// <summary>Timers shortened about tenfold from Akka's defaults so a spec takes seconds.</summary>
    public static ClusterSettings FastSettings(IEnumerable<Address> seeds, string clusterId = "test-cluster") => new()
    {
        ClusterId = clusterId,
        SeedNodes = [.. seeds.Select(s => s.ToString())],
        SeedNodeTimeout = TimeSpan.FromMilliseconds(300),
        RetryUnsuccessfulJoinAfter = TimeSpan.FromMilliseconds(500),
        GossipInterval = TimeSpan.FromMilliseconds(50),
        HeartbeatInterval = TimeSpan.FromMilliseconds(100),
        AcceptableHeartbeatPause = TimeSpan.FromMilliseconds(600),
        MinStdDeviation = TimeSpan.FromMilliseconds(100),
    };

    public Address NextAddress() => new("actorchain", "127.0.0.1", _nextPort++);

    public ClusterNode Start(Address address, ClusterSettings settings)
    {
        var system = ActorSystem.Create(address.System, new ActorSystemSettings
        {
            Host = address.Host,
            Port = address.Port,
            LoggerFactory = _loggerFactory ?? ActorSystemSettings.Default.LoggerFactory,
        });
        var transport = Network.CreateTransport(address);
        var node = new ClusterNode(system, Cluster.Start(system, transport, settings));
        _nodes.Add(node);
        return node;
    }

    /// <summary>Starts <paramref name="count"/> nodes whose first <paramref name="seedCount"/> are the seeds.</summary>
    public IReadOnlyList<ClusterNode> StartCluster(int count, int seedCount, Action<ClusterSettings>? configure = null)
    {
        var addresses = Enumerable.Range(0, count).Select(_ => NextAddress()).ToList();
        return [.. addresses.Select(a =>
        {
            var settings = FastSettings(addresses.Take(seedCount));
            configure?.Invoke(settings);
            return Start(a, settings);
        })];
    }

    public void Dispose()
    {
        Task.WaitAll([.. _nodes.Select(n => n.System.Terminate())], TestTime.Dilated(TimeSpan.FromSeconds(10)));
        _provider?.Close();
        _loggerFactory?.Dispose();
    }
}

internal sealed record ClusterNode(ActorSystem System, Cluster Cluster)
{
    public Address Address => System.Address;

    public IEnumerable<Member> Members => Cluster.State.Members;

    public MemberStatus? StatusOf(ClusterNode other) =>
        Cluster.State.Members.FirstOrDefault(m => m.UniqueAddress.Equals(other.Cluster.SelfUniqueAddress))?.Status;

    public override string ToString() => Address.ToString();
}

/// <summary>Cluster logs in the test output; silent once the test has finished (xUnit throws after that).</summary>
internal sealed class XunitLoggerProvider(ITestOutputHelper output) : ILoggerProvider
{
    private readonly ITestOutputHelper _output = output;
    private volatile bool _closed;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName[(categoryName.LastIndexOf('.') + 1)..]);

    public void Close() => _closed = true;

    public void Dispose() => Close();

    private sealed class Logger(XunitLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => !owner._closed && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            try
            {
                owner._output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}[{eventId.Id}] {formatter(state, exception)}");
            }
            catch (InvalidOperationException)
            {
                // The test finished while a node was still logging.
            }
        }
    }
}
