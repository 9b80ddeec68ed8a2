using System.Text;
using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using BenchmarkDotNet.Attributes;

namespace ActorChain.Benchmarks.Ledger;

/// <summary>
/// Searches over a photo archive applied through the ledger. Goal for the tag + date-range search:
/// p50 at most 1 ms over 1,000,000 files; this setup holds 100,000 files to keep the setup
/// affordable, and the tag + date path costs two binary searches per posting list plus the page,
/// so it does not grow with the number of files.
/// </summary>
[MemoryDiagnoser]
public class LedgerSearchBenchmarks
{
    private static readonly string[] Tags = ["family", "beach", "cat", "dog", "xmas", "birthday", "hike", "snow", "city", "food"];
    private static readonly long Start = new DateTimeOffset(2010, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private LedgerState _ledger = new();
    private FileQuery _tagAndYear = new();
    private FileQuery _twoTagsAndYear = new();
    private FileQuery _nearOslo = new();
    private FileQuery _namePrefix = new();

    [Params(100_000)]
    public int Files { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(11);
        var blocks = new List<Block> { GenesisPayload.CreateGenesisBlock("bench", ["node-a"], 1) };
        var entries = new List<Entry>();
        for (var i = 0; i < Files; i++)
        {
            var tags = Tags.Where(_ => random.Next(4) == 0).ToArray();
            var taken = Start + (long)(random.NextDouble() * 15 * 365 * 86_400_000L);
            var place = new GeoPoint(59 + (random.NextDouble() * 2), 10 + (random.NextDouble() * 2));
            var id = $"f{i:D7}";
            var file = new FileAddPayload(id, Hash256.Compute(Encoding.UTF8.GetBytes(id)), 2_000_000, $"IMG_{i:D7}.jpg", "image/jpeg", tags,
                media: new MediaMetadata(taken, "Canon", "EOS 5D", place, 4000, 3000));
            entries.Add(new Entry("add-" + id, EntryKind.FileAdd, file.Encode(), "node-a", 1));
            if (entries.Count == 1_000 || i == Files - 1)
            {
                var previous = blocks[^1];
                blocks.Add(Block.Create(previous.Height + 1, previous.Hash, 2, "node-a", entries.ToArray()));
                entries.Clear();
            }
        }

        _ledger = new LedgerState();
        foreach (var block in blocks)
        {
            _ledger.Apply(block);
        }

        var year2018 = new DateTimeOffset(2018, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        _tagAndYear = new FileQuery { Tags = ["beach"], TakenFromUnixMs = year2018, TakenToUnixMs = year2018 + (365 * 86_400_000L) };
        _twoTagsAndYear = _tagAndYear with { Tags = ["beach", "cat"] };
        _nearOslo = new FileQuery { Near = new GeoCircle(59.9139, 10.7522, 5) };
        _namePrefix = new FileQuery { NamePrefix = "img_00123" };
    }

    [Benchmark(Baseline = true)]
    public int TagAndDateRange() => _ledger.Search(_tagAndYear).Total;

    [Benchmark]
    public int TwoTagsAndDateRange() => _ledger.Search(_twoTagsAndYear).Total;

    [Benchmark]
    public int NearFiveKm() => _ledger.Search(_nearOslo).Total;

    [Benchmark]
    public int NamePrefix() => _ledger.Search(_namePrefix).Total;
}
