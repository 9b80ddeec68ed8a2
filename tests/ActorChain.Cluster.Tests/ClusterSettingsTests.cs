using ActorChain.Actors;
using Microsoft.Extensions.Configuration;

namespace ActorChain.Cluster.Tests;

public sealed class ClusterSettingsTests
{
    [Fact]
    public void Defaults_AreAkkas()
    {
        var settings = new ClusterSettings();

        Assert.Equal(TimeSpan.FromSeconds(1), settings.GossipInterval);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.HeartbeatInterval);
        Assert.Equal(8.0, settings.Threshold);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.AcceptableHeartbeatPause);
        Assert.Equal(TimeSpan.FromMilliseconds(100), settings.MinStdDeviation);
        Assert.Equal(1000, settings.MaxSampleSize);
        Assert.False(settings.Downing.KeepMajority.Enabled);
        Assert.Empty(settings.SeedNodes);
        settings.Validate();
    }

    [Fact]
    public void Binder_FillsEveryKeyWithDashesRemoved()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["actorchain:cluster:clusterid"] = "photos",
            ["actorchain:cluster:seednodes:0"] = "actorchain://actorchain@10.0.0.1:4053",
            ["actorchain:cluster:seednodes:1"] = "actorchain://actorchain@10.0.0.2:4053",
            ["actorchain:cluster:seednodetimeout"] = "00:00:02",
            ["actorchain:cluster:retryunsuccessfuljoinafter"] = "00:00:04",
            ["actorchain:cluster:gossipinterval"] = "00:00:00.5",
            ["actorchain:cluster:heartbeatinterval"] = "00:00:00.25",
            ["actorchain:cluster:threshold"] = "10.5",
            ["actorchain:cluster:acceptableheartbeatpause"] = "00:00:05",
            ["actorchain:cluster:minstddeviation"] = "00:00:00.2",
            ["actorchain:cluster:maxsamplesize"] = "200",
            ["actorchain:cluster:downing:keepmajority:enabled"] = "true",
            ["actorchain:cluster:downing:keepmajority:stableafter"] = "00:00:07",
        }).Build();

        var settings = configuration.GetSection("actorchain:cluster").Get<ClusterSettings>()!;

        settings.Validate();
        Assert.Equal("photos", settings.ClusterId);
        Assert.Equal([new Address("actorchain", "10.0.0.1", 4053), new Address("actorchain", "10.0.0.2", 4053)], settings.ParsedSeedNodes());
        Assert.Equal(
            (TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(250)),
            (settings.SeedNodeTimeout, settings.RetryUnsuccessfulJoinAfter, settings.GossipInterval, settings.HeartbeatInterval));
        Assert.Equal((10.5, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(200), 200), (settings.Threshold, settings.AcceptableHeartbeatPause, settings.MinStdDeviation, settings.MaxSampleSize));
        Assert.True(settings.Downing.KeepMajority.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(7), settings.Downing.KeepMajority.StableAfter);
    }

    [Fact]
    public void Validate_RejectsASeedWithoutHostAndPort()
    {
        var settings = new ClusterSettings { SeedNodes = ["actorchain://actorchain"] };

        var error = Assert.Throws<ArgumentException>(settings.Validate);
        Assert.Contains("SeedNodes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RejectsANonPositiveGossipInterval()
    {
        var settings = new ClusterSettings { GossipInterval = TimeSpan.Zero };

        Assert.Throws<ArgumentException>(settings.Validate);
    }

    [Fact]
    public void Start_RefusesATransportWhoseAddressIsNotTheSystems()
    {
        using var system = ActorSystem.Create("actorchain", new ActorSystemSettings { Host = "127.0.0.1", Port = 3001 });
        var transport = new InMemoryClusterNetwork().CreateTransport(new Address("actorchain", "127.0.0.1", 3002));

        Assert.Throws<ArgumentException>(() => Cluster.Start(system, transport));
        Assert.Throws<InvalidOperationException>(() => Cluster.Get(system));
    }

    [Fact]
    public void Get_ReturnsTheStartedCluster_AndASecondStartIsRefused()
    {
        using var system = ActorSystem.Create("actorchain", new ActorSystemSettings { Host = "127.0.0.1", Port = 3003 });
        var network = new InMemoryClusterNetwork();
        var cluster = Cluster.Start(system, network.CreateTransport(system.Address));

        Assert.Same(cluster, Cluster.Get(system));
        Assert.Equal(MemberStatus.Removed, cluster.SelfMember.Status);
        Assert.Throws<InvalidOperationException>(() => Cluster.Start(system, new InMemoryClusterNetwork().CreateTransport(system.Address)));
    }
}
