using ActorChain.Tests.Harness;
using Xunit.Abstractions;

namespace ActorChain.MultiNode.Tests;

/// <summary>The chain through the real executable: a voter killed with -9 mid-burst, or every node killed at once, loses no acknowledged write.</summary>
public sealed class ChainProcessSpecs(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);
    private readonly ITestOutputHelper _output = output;
    private readonly NodeProcessCluster _cluster = new("c", output);

    private List<NodeProcess> Nodes => _cluster.Nodes;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _cluster.DisposeAsync().AsTask();

    [Fact]
    public async Task VoterKilledMidBurst_RestartsFromItsStore_CatchesUp_AndNoAcknowledgedWriteIsLost()
    {
        const int Workers = 6;
        const int WritesPerWorker = 30;
        const int KillAfter = 40;
        Nodes.ForEach(n => n.Start());
        await AllReadyAsync();
        var victim = Nodes[2];
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<ChainHttp.Written>();
        var killNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task WorkerAsync(int worker)
        {
            for (var i = 0; i < WritesPerWorker; i++)
            {
                var key = $"w{worker}-{i}";
                if (await ChainHttp.TryPutAsync(Nodes[(worker + i) % 3].Http, key, $"value of {key}") is { } written)
                {
                    acknowledged.Add(written);
                    if (acknowledged.Count >= KillAfter)
                    {
                        killNow.TrySetResult();
                    }
                }
            }
        }

        var burst = Task.WhenAll(Enumerable.Range(0, Workers).Select(WorkerAsync));
        await Task.WhenAny(killNow.Task, burst);
        victim.Kill();
        await burst;
        var beforeRestart = acknowledged.Count;
        Assert.True(beforeRestart > KillAfter, $"only {beforeRestart} writes were acknowledged; the survivors should have gone on committing after the kill");

        victim.Start();

        var top = acknowledged.Max(w => w.Height);
        await ChainHttp.AwaitEqualHeadsAsync([.. Nodes.Select(n => n.Http)], Wait, atLeast: top);
        var entries = (await ChainHttp.EntriesAsync(victim.Http)).GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var written in acknowledged)
        {
            Assert.True(entries.TryGetValue(written.EntryId, out var copies), $"the acknowledged write {written.Key} ({written.EntryId} at {written.Height}) is missing from the restarted {victim.Spec.Name}");
            var entry = Assert.Single(copies);
            Assert.Equal((written.Height, written.Key), (entry.Height, entry.Key));
            Assert.Equal($"value of {written.Key}", await ChainHttp.GetAsync(victim.Http, written.Key));
        }
    }

    [Fact]
    public async Task EveryNodeKilledWhileDecidedBlocksAwaitTheirJournal_RestartsWithEveryAcknowledgedWrite()
    {
        // A journal window (the longest allowed) longer than the burst: when the kill comes, the blocks decided since the last
        // journal write exist only in the voters' acceptor logs, on no node's journal.
        await using var cluster = new NodeProcessCluster("w", _output, new Dictionary<string, string?> { ["actorchain:chain:journalbatchwindow"] = "1s" });
        var nodes = cluster.Nodes;
        nodes.ForEach(n => n.Start());
        await AllReadyAsync(nodes);
        var heightBefore = (await ChainHttp.TryHeadAsync(nodes[0].Http))?.Height ?? 0;
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<ChainHttp.Written>();

        async Task WorkerAsync(int worker)
        {
            for (var i = 0; i < 10; i++)
            {
                var key = $"k{worker}-{i}";
                if (await ChainHttp.TryPutAsync(nodes[(worker + i) % 3].Http, key, $"value of {key}") is { } written)
                {
                    acknowledged.Add(written);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 6).Select(WorkerAsync));
        nodes.ForEach(n => n.Kill());
        Assert.True(acknowledged.Count >= 30, $"only {acknowledged.Count} of 60 writes were acknowledged by a healthy cluster");
        var top = acknowledged.Max(w => w.Height);
        Assert.True(top > heightBefore, "the burst decided no block");
        _output.WriteLine($"{acknowledged.Count} writes acknowledged up to height {top}; every node killed (their journals stop near height {heightBefore + 1})");

        nodes.ForEach(n => n.Start());
        await AllReadyAsync(nodes);
        await ChainHttp.AwaitEqualHeadsAsync([.. nodes.Select(n => n.Http)], Wait, atLeast: top);
        foreach (var node in nodes)
        {
            var entries = (await ChainHttp.EntriesAsync(node.Http)).GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.ToList());
            foreach (var written in acknowledged)
            {
                Assert.True(entries.TryGetValue(written.EntryId, out var copies), $"the acknowledged write {written.Key} ({written.EntryId} at {written.Height}) is missing from {node.Spec.Name} after every node was killed");
                var entry = Assert.Single(copies);
                Assert.Equal((written.Height, written.Key), (entry.Height, entry.Key));
            }
        }
    }

    private Task AllReadyAsync() => AllReadyAsync(Nodes);

    private static async Task AllReadyAsync(List<NodeProcess> nodes)
    {
        foreach (var node in nodes)
        {
            await Eventually.UntilAsync(
                async () =>
                {
                    try
                    {
                        return (await node.Http.GetAsync("/health/ready")).IsSuccessStatusCode;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        return false;
                    }
                },
                Wait,
                $"{node.Spec.Name} never became ready");
        }
    }
}
