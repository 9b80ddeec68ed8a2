using System.Diagnostics;
using System.Text;
using ActorChain.Consensus.Actors;
using Xunit.Abstractions;

namespace ActorChain.Consensus.Tests.Cluster;

/// <summary>Chain actors over real TCP on loopback; every spec ends with the cluster safety check.</summary>
public sealed class ChainClusterSpecs(ITestOutputHelper output)
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Cluster_With3000ConcurrentWritesToRandomNodes_EndsWithIdenticalChainsHoldingEveryAcknowledgedWriteOnce()
    {
        await using var cluster = await ChainCluster.StartAsync(3);
        var random = new Random(3000);
        var writes = Enumerable.Range(0, 3000)
            .Select(i => (Node: cluster.Nodes[random.Next(3)], Entry: TestChains.Put($"w-{i}", RandomText(random), RandomText(random))))
            .ToList();

        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(writes.Select(w => w.Node.Client!.SubmitAsync(w.Entry)));
        clock.Stop();
        output.WriteLine($"3000 writes to random nodes of 3 acknowledged in {clock.ElapsedMilliseconds} ms.");

        await cluster.AwaitConvergedAsync(results.Max(r => r.Height), Converge);
        await cluster.AssertChainsIdenticalAsync();
        await AssertEachAcknowledgedOnceAsync(cluster.Nodes[0].Client!, results);
    }

    [Fact]
    public async Task CoincidentWrites_AtTwoThenFiveNodes_AllCommitAndARepeatedIdGetsOneLocation()
    {
        await using var cluster = await ChainCluster.StartAsync(5);
        var results = new List<CommitResult>();
        foreach (var writers in new[] { 2, 5 })
        {
            for (var round = 0; round < 10; round++)
            {
                results.AddRange(await Task.WhenAll(cluster.Nodes.Take(writers).Select(n =>
                    n.Client!.SubmitAsync(TestChains.Put($"c{writers}-{round}-{n.Id}", $"key-{round}", n.Id)))));
            }
        }

        var same = TestChains.Put("same-id", "k", "v");
        var locations = await Task.WhenAll(cluster.Nodes.Select(n => n.Client!.SubmitAsync(same)));
        Assert.Single(locations.Select(l => (l.Height, l.BlockHash)).Distinct());

        await cluster.AwaitConvergedAsync(locations[0].Height, Converge);
        await cluster.AssertChainsIdenticalAsync();
        await AssertEachAcknowledgedOnceAsync(cluster.Nodes[4].Client!, [.. results, locations[0]]);
    }

    [Fact]
    public async Task Cluster_WithTwoOfFivePartitionedAway_DecidesOnlyOnTheMajoritySideAndConvergesAfterHeal()
    {
        await using var cluster = await ChainCluster.StartAsync(5);
        await cluster.Nodes[0].Client!.SubmitAsync(TestChains.Put("before", "k", "0"));
        await cluster.AwaitConvergedAsync(1, Converge);
        var majority = cluster.Nodes.Take(3).ToList();
        var minority = cluster.Nodes.Skip(3).ToList();
        ChainCluster.Partition(majority, minority);
        var minorityHeads = minority.Select(n => n.Client!.Head).ToList();

        var stranded = TestChains.Put("stranded", "minority", "x");
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(1.5)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => minority[0].Client!.SubmitAsync(stranded, wait.Token));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => minority[1].Client!.ReadLinearizableAsync("k", wait.Token));
        }

        var majorityResults = new List<CommitResult>();
        for (var i = 0; i < 20; i++)
        {
            majorityResults.Add(await majority[i % 3].Client!.SubmitAsync(TestChains.Put($"major-{i}", "k", $"{i}")));
        }

        Assert.Equal(minorityHeads, minority.Select(n => n.Client!.Head).ToList());

        cluster.HealAll();
        var strandedResult = await minority[0].Client!.SubmitAsync(stranded).WaitAsync(Converge);
        await cluster.AwaitConvergedAsync(strandedResult.Height, Converge);
        await cluster.AssertChainsIdenticalAsync();
        await AssertEachAcknowledgedOnceAsync(minority[1].Client!, [.. majorityResults, strandedResult]);
    }

    [Fact]
    public async Task Node_StoppedAndRestartedOnItsDurableStore_CatchesUpAndLosesNoAcknowledgedWrite()
    {
        var root = Directory.CreateTempSubdirectory("chain-restart-");
        try
        {
            await using var cluster = await ChainCluster.StartAsync(
                3, async id => await NodeStoreConsensusStore.OpenAsync(Path.Combine(root.FullName, id)));
            var results = new List<CommitResult>();
            for (var i = 0; i < 30; i++)
            {
                results.Add(await cluster.Nodes[i % 3].Client!.SubmitAsync(TestChains.Put($"a-{i}", $"k{i % 5}", $"{i}")));
            }

            var restarted = cluster.Nodes[2];
            await cluster.AwaitConvergedAsync(results.Max(r => r.Height), Converge);
            var headAtStop = restarted.Client!.Head;
            await restarted.StopAsync();

            for (var i = 0; i < 30; i++)
            {
                results.Add(await cluster.Nodes[i % 2].Client!.SubmitAsync(TestChains.Put($"b-{i}", $"k{i % 5}", $"{i}")));
            }

            await restarted.RestartAsync();
            Assert.Equal(headAtStop, restarted.Client!.Head);
            results.Add(await restarted.Client.SubmitAsync(TestChains.Put("after-restart", "k", "z")));

            await cluster.AwaitConvergedAsync(results.Max(r => r.Height), Converge);
            await cluster.AssertChainsIdenticalAsync();
            await AssertEachAcknowledgedOnceAsync(restarted.Client, results);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task NewEmptyNode_JoiningAChainOf10000Blocks_CatchesUpFollowsAndCanBecomeAVoter()
    {
        var genesis = TestChains.Genesis("n0", "n1", "n2");
        var chain = TestChains.Chain(genesis, 10_000);
        await using var cluster = await ChainCluster.StartAsync(3, async _ =>
        {
            var store = new InMemoryConsensusStore();
            await store.AppendBlocksAsync(chain, default);
            return store;
        });

        var clock = Stopwatch.StartNew();
        var learner = await cluster.AddNodeAsync("n3", new InMemoryConsensusStore());
        await cluster.AwaitConvergedAsync(10_000, TimeSpan.FromSeconds(40));
        output.WriteLine($"An empty node caught up 10,000 blocks in {clock.ElapsedMilliseconds} ms.");
        await cluster.AssertChainsIdenticalAsync();

        var followed = await cluster.Nodes[0].Client!.SubmitAsync(TestChains.Put("after-join", "k", "v"));
        await cluster.AwaitConvergedAsync(followed.Height, Converge);

        // n3 becomes a voter and n0 leaves: with n0 and n1 down, only n2 and n3 form a quorum of {n1, n2, n3}.
        await learner.Client!.SubmitAsync(TestChains.VoterAdd("add-n3", "n3"));
        await cluster.Nodes[2].Client!.SubmitAsync(TestChains.VoterRemove("remove-n0", "n0"));
        await cluster.Nodes[0].StopAsync();
        await cluster.Nodes[1].StopAsync();
        var decided = await learner.Client.SubmitAsync(TestChains.Put("two-of-three", "k", "w")).WaitAsync(Converge);
        await cluster.AwaitConvergedAsync(decided.Height, Converge);
        Assert.Equal(["n1", "n2", "n3"], await learner.Client.QueryAsync(l => l.Voters.Order(StringComparer.Ordinal).ToArray()));
    }

    [Fact]
    public async Task Cluster_WithEveryLinkDroppingAFifthOfMessages_StillCommitsEveryWriteOnceAndConverges()
    {
        await using var cluster = await ChainCluster.StartAsync(3);
        var seed = 0;
        foreach (var node in cluster.Nodes)
        {
            foreach (var other in cluster.Nodes.Where(o => o != node))
            {
                node.Remoting!.Transport.Faults.Set(other.Id, Remote.Faults.FaultDirection.Send, Remote.Faults.LinkFault.Drop(0.2, seed++));
            }
        }

        var random = new Random(7);
        var results = new List<CommitResult>();
        for (var wave = 0; wave < 30; wave++)
        {
            results.AddRange(await Task.WhenAll(Enumerable.Range(wave * 10, 10).Select(i =>
                cluster.Nodes[random.Next(3)].Client!.SubmitAsync(TestChains.Put($"lossy-{i}", $"k{i % 7}", $"{i}")))).WaitAsync(Converge));
        }

        Assert.True(results.Max(r => r.Height) >= 30, "each wave of writes needs its own height");

        cluster.HealAll();
        await cluster.AwaitConvergedAsync(results.Max(r => r.Height), Converge);
        await cluster.AssertChainsIdenticalAsync();
        await AssertEachAcknowledgedOnceAsync(cluster.Nodes[1].Client!, results);
    }

    [Fact]
    public async Task Node_StartedWithoutPeers_JoinsOnceGivenTheirAddresses()
    {
        await using var cluster = await ChainCluster.StartAsync(3);
        var committed = await cluster.Nodes[0].Client!.SubmitAsync(TestChains.Put("early", "k", "v"));
        var late = await cluster.AddNodeAsync("late", new InMemoryConsensusStore(), knowsPeers: false);

        // Alone it hears nothing: its head stays at genesis while the others hold block 1.
        Assert.Equal(0, late.Client!.Head.Height);
        late.Client.UpdatePeerAddresses(cluster.AddressesExcept("late"));

        await cluster.AwaitConvergedAsync(committed.Height, Converge);
        await cluster.AssertChainsIdenticalAsync();
    }

    [Fact]
    public async Task LinearizableRead_AtAnotherNodeRightAfterAnAcknowledgedWrite_ReturnsThatWrite()
    {
        await using var cluster = await ChainCluster.StartAsync(3);
        for (var i = 0; i < 30; i++)
        {
            var writer = cluster.Nodes[i % 3];
            var reader = cluster.Nodes[(i + 1) % 3];
            await writer.Client!.SubmitAsync(TestChains.Put($"lin-{i}", "register", $"value-{i}"));
            var read = await reader.Client!.ReadLinearizableAsync("register").WaitAsync(Converge);
            Assert.Equal($"value-{i}", Encoding.UTF8.GetString(read!));
        }

        Assert.Null(await cluster.Nodes[0].Client!.ReadLinearizableAsync("never-written"));
    }

    [Fact]
    public async Task ReadIndex_WhoseQueriesWereLostInAPartition_IsAskedAgainAndCompletesOnceHealed()
    {
        await using var cluster = await ChainCluster.StartAsync(3);
        var committed = await cluster.Nodes[1].Client!.SubmitAsync(TestChains.Put("before", "k", "v"));
        await cluster.AwaitConvergedAsync(committed.Height, Converge);
        ChainCluster.Partition([cluster.Nodes[0]], cluster.Nodes.Skip(1));

        // n0 alone is no quorum: its queries go into the blackhole, and the read must wait, not fail.
        var read = cluster.Nodes[0].Client!.WaitForReadIndexAsync();
        var during = await cluster.Nodes[1].Client!.SubmitAsync(TestChains.Put("during", "k", "w")).WaitAsync(Converge);
        Assert.False(read.IsCompleted, "a read index completed without a quorum");
        cluster.HealAll();

        Assert.True(await read.WaitAsync(Converge) >= during.Height, "the read index missed a write the majority acknowledged");
    }

    private static async Task AssertEachAcknowledgedOnceAsync(ChainClient client, IReadOnlyList<CommitResult> results)
    {
        var blocks = await client.GetAllBlocksAsync();
        var counts = blocks.SelectMany(b => b.Entries).GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.Count());
        foreach (var result in results)
        {
            Assert.True(counts.TryGetValue(result.EntryId, out var count) && count == 1, $"{result.EntryId} is in the chain {count} times.");
            var block = blocks[(int)result.Height];
            Assert.Equal(result.BlockHash, block.Hash);
            Assert.Contains(block.Entries, e => e.Id == result.EntryId);
        }
    }

    private static string RandomText(Random random)
    {
        const string letters = "abcdefghijklmnopqrstuvwxyz0123456789";
        return string.Create(random.Next(4, 24), random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = letters[r.Next(letters.Length)];
            }
        });
    }
}
