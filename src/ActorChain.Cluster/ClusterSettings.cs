using ActorChain.Actors;

namespace ActorChain.Cluster;

/// <summary>
/// Options of <c>actorchain.cluster</c>, bound from configuration (keys without dashes:
/// <c>actorchain:cluster:gossipinterval</c>, …). Defaults are Akka's.
/// </summary>
public sealed class ClusterSettings
{
    /// <summary>Nodes of another cluster id are refused at join and their gossip is ignored.</summary>
    public string ClusterId { get; set; } = "actorchain";

    /// <summary>Addresses like <c>actorchain://actorchain@10.0.0.1:4053</c>; the node joins them when the cluster starts.</summary>
    public List<string> SeedNodes { get; set; } = [];

    /// <summary>How long the first seed waits for the other seeds before it forms a cluster on its own.</summary>
    public TimeSpan SeedNodeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a join attempt may go unanswered before the node asks the seeds again.</summary>
    public TimeSpan RetryUnsuccessfulJoinAfter { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan GossipInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Phi above which a member is unreachable.</summary>
    public double Threshold { get; set; } = 8.0;

    public TimeSpan AcceptableHeartbeatPause { get; set; } = TimeSpan.FromSeconds(3);

    public TimeSpan MinStdDeviation { get; set; } = TimeSpan.FromMilliseconds(100);

    public int MaxSampleSize { get; set; } = 1000;

    public DowningSettings Downing { get; set; } = new();

    public IReadOnlyList<Address> ParsedSeedNodes() => [.. SeedNodes.Select(Address.Parse)];

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(ClusterId), nameof(ClusterId), "must not be empty");
        Require(GossipInterval > TimeSpan.Zero, nameof(GossipInterval), "must be positive");
        Require(HeartbeatInterval > TimeSpan.Zero, nameof(HeartbeatInterval), "must be positive");
        Require(Threshold > 0, nameof(Threshold), "must be positive");
        Require(AcceptableHeartbeatPause >= TimeSpan.Zero, nameof(AcceptableHeartbeatPause), "must not be negative");
        Require(MinStdDeviation > TimeSpan.Zero, nameof(MinStdDeviation), "must be positive");
        Require(MaxSampleSize > 0, nameof(MaxSampleSize), "must be positive");
        Require(SeedNodeTimeout > TimeSpan.Zero, nameof(SeedNodeTimeout), "must be positive");
        Require(RetryUnsuccessfulJoinAfter > TimeSpan.Zero, nameof(RetryUnsuccessfulJoinAfter), "must be positive");
        Require(Downing.KeepMajority.StableAfter > TimeSpan.Zero, "Downing.KeepMajority.StableAfter", "must be positive");
        foreach (var seed in SeedNodes)
        {
            Require(Address.TryParse(seed, out var address) && address.HasGlobalScope, nameof(SeedNodes), $"'{seed}' is not an actorchain://system@host:port address");
        }
    }

    private static void Require(bool condition, string name, string problem)
    {
        if (!condition)
        {
            throw new ArgumentException($"actorchain.cluster setting {name} {problem}.");
        }
    }
}

public sealed class DowningSettings
{
    public KeepMajoritySettings KeepMajority { get; set; } = new();
}

/// <summary>
/// Keep-majority downing: once the set of unreachable members has not changed for
/// <see cref="StableAfter"/>, the side holding the majority of Up/Leaving members downs the
/// others; on an even split the side with the lowest address wins; a minority downs itself.
/// </summary>
public sealed class KeepMajoritySettings
{
    public bool Enabled { get; set; }

    public TimeSpan StableAfter { get; set; } = TimeSpan.FromSeconds(20);
}
