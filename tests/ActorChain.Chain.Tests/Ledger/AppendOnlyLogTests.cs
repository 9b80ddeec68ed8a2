using ActorChain.Chain.Ledger;

namespace ActorChain.Chain.Tests.Ledger;

public sealed class AppendOnlyLogTests
{
    [Fact]
    public void ItemsAcrossSeveralChunks_ReadBackByIndexAndInOrder()
    {
        var log = new AppendOnlyLog<int>();
        for (var i = 0; i < 10_000; i++)
        {
            log.Add(i * 3);
        }

        Assert.Equal(10_000, log.Count);
        Assert.Equal([0, 3, 6], log.Take(3));
        Assert.Equal(2047 * 3, log[2047]);
        Assert.Equal(2048 * 3, log[2048]);
        Assert.Equal(9_999 * 3, log[9_999]);
        Assert.Equal(Enumerable.Range(0, 10_000).Select(i => i * 3), log);
        Assert.Throws<ArgumentOutOfRangeException>(() => log[10_000]);
        Assert.Throws<ArgumentOutOfRangeException>(() => log[-1]);
    }

    [Fact]
    public void APrefix_KeepsItsItems_WhileTheLogGrowsPastNewChunksAndDirectories()
    {
        var log = new AppendOnlyLog<string>();
        Assert.Empty(log.TakePrefix().ToArray());
        for (var i = 0; i < 2048; i++)
        {
            log.Add($"e{i}");
        }

        // Exactly one full chunk: the next item needs a new chunk, and later ones a bigger directory.
        var prefix = log.TakePrefix();
        for (var i = 2048; i < 50_000; i++)
        {
            log.Add($"e{i}");
        }

        Assert.Equal(2048, prefix.Count);
        Assert.Equal(Enumerable.Range(0, 2048).Select(i => $"e{i}"), prefix.ToArray());
        Assert.Equal(50_000, log.TakePrefix().ToArray().Length);
    }

    [Fact]
    public async Task PrefixesReadOnAnotherThread_SeeEveryItemTheyHold_WhileTheOwnerAppends()
    {
        var log = new AppendOnlyLog<long>();
        var handOff = new System.Collections.Concurrent.BlockingCollection<AppendOnlyLog<long>.Prefix>();
        var reader = Task.Run(() =>
        {
            var checkedPrefixes = 0;
            foreach (var prefix in handOff.GetConsumingEnumerable())
            {
                var items = prefix.ToArray();
                for (var i = 0; i < items.Length; i++)
                {
                    if (items[i] != i)
                    {
                        return $"item {i} of a prefix of {items.Length} read {items[i]}";
                    }
                }

                checkedPrefixes++;
            }

            return $"{checkedPrefixes} prefixes";
        });

        for (var i = 0L; i < 300_000; i++)
        {
            log.Add(i);
            if (i % 10_000 == 0)
            {
                handOff.Add(log.TakePrefix());
            }
        }

        handOff.CompleteAdding();
        Assert.Equal("30 prefixes", await reader);
    }
}
