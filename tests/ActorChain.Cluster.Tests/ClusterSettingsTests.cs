using ActorChain.Actors;

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
