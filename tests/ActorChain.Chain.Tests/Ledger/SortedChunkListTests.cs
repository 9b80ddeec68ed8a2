using ActorChain.Chain.Ledger;
using FsCheck;
using FsCheck.Fluent;

namespace ActorChain.Chain.Tests.Ledger;

public sealed class SortedChunkListTests
{
    [Fact]
    public void AddRemoveAndRanges_AgreeWithASortedSet()
    {
        // Values from a small range so adds and removes collide; enough of them to split chunks.
        var operations = Gen.ArrayOf(Gen.Zip(Gen.Choose(0, 3), Gen.Choose(0, 3000)), 4000);
        var property = Prop.ForAll(operations.ToArbitrary(), ops =>
        {
            var list = new SortedChunkList<int>(Comparer<int>.Default);
            var model = new SortedSet<int>();
            foreach (var (op, value) in ops)
            {
                if (op == 0)
                {
                    Assert.Equal(model.Remove(value), list.Remove(value));
                }
                else
                {
                    Assert.Equal(model.Add(value), list.Add(value));
                }
            }

            Assert.Equal(model.Count, list.Count);
            Assert.Equal(model, list.Range(0, list.Count));
            foreach (var bound in new[] { -1, 0, 7, 1500, 2999, 3000, 5000 })
            {
                var rank = list.PartitionPoint(bound, static (item, b) => item < b);
                Assert.Equal(model.Count(v => v < bound), rank);
                Assert.Equal(model.Where(v => v >= bound).Take(10), list.Range(rank, 10));
            }
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(25), property);
    }

    [Fact]
    public void EmptyList_HasNothingInRange()
    {
        var list = new SortedChunkList<int>(Comparer<int>.Default);

        Assert.False(list.Remove(1));
        Assert.Equal(0, list.PartitionPoint(5, static (item, b) => item < b));
        Assert.Empty(list.Range(0, 10));
    }
}
