using System.Collections.Concurrent;

namespace ActorChain.Gateway.Tests;

/// <summary>Generated entry ids keep the 32-hex-digit shape and never repeat, across refills and threads.</summary>
public sealed class EntryIdsTests
{
    [Fact]
    public async Task Ids_FromSeveralThreads_AcrossManyRefills_AreDistinct32DigitHex()
    {
        var ids = new ConcurrentBag<string>();
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            // 1,000 ids a thread cross the 256-id refill several times.
            for (var i = 0; i < 1_000; i++)
            {
                ids.Add(EntryIds.New());
            }
        }));
        await Task.WhenAll(workers);

        Assert.Equal(4_000, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{32}$", id));
    }

    [Fact]
    public void Ids_AreNotSequential()
    {
        // A counter (or a buffer handed out twice) would share long prefixes between neighbours.
        var first = EntryIds.New();
        var second = EntryIds.New();
        Assert.NotEqual(first[..8], second[..8]);
    }
}
