using System.Text;
using ActorChain.Chain;
using ActorChain.Chain.Ledger;

namespace ActorChain.Benchmarks.Gateway;

/// <summary>
/// A ledger holding a photo archive applied as file.add blocks, and random queries over it. The
/// archive is built once per process and shared: at 1,000,000 files it takes tens of seconds,
/// and an in-process BenchmarkDotNet run calls every case's setup in the same process.
/// </summary>
internal sealed class PhotoArchive
{
    public const int TagCount = 200;
    public const int Years = 20;
    private const int BlockSize = 1_000;
    private const long DayMs = 86_400_000L;

    private static readonly object Gate = new();
    private static readonly Dictionary<int, PhotoArchive> Built = [];

    // Cities the GPS positions cluster around (photos are taken where people live and travel).
    private static readonly (double Lat, double Lon)[] Places =
        [(59.91, 10.75), (48.86, 2.35), (40.71, -74.01), (35.68, 139.69), (-33.87, 151.21), (51.51, -0.13), (52.52, 13.40), (41.90, 12.50)];

    private static readonly string[] NamePrefixes = ["IMG_", "DSC_", "PXL_", "DJI_", "Screenshot_"];

    private PhotoArchive(int files, LedgerState ledger)
    {
        Files = files;
        Ledger = ledger;
    }

    public static readonly long Start = new DateTimeOffset(2005, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    public static readonly long End = Start + (Years * 365 * DayMs);

    public int Files { get; }

    public LedgerState Ledger { get; }

    public static string Tag(int i) => $"tag{i:D3}";

    public static PhotoArchive Get(int files)
    {
        lock (Gate)
        {
            if (!Built.TryGetValue(files, out var archive))
            {
                Built[files] = archive = Build(files);
            }

            return archive;
        }
    }

    /// <summary>
    /// Tags follow a skewed popularity (a few tags on many photos, most on few), 1-4 per photo;
    /// 30% of photos carry a GPS position near one of eight cities; 5% are undated.
    /// </summary>
    private static PhotoArchive Build(int files)
    {
        var random = new Random(7);
        var ledger = new LedgerState();
        var previous = GenesisPayload.CreateGenesisBlock("bench", ["node-a"], 1);
        ledger.Apply(previous);
        var entries = new List<Entry>(BlockSize);
        var tags = new List<string>(4);
        for (var i = 0; i < files; i++)
        {
            tags.Clear();
            for (var t = random.Next(1, 5); t > 0; t--)
            {
                tags.Add(PopularTag(random));
            }

            long? taken = random.Next(20) == 0 ? null : Start + (long)(random.NextDouble() * (End - Start));
            GeoPoint? place = null;
            if (random.Next(10) < 3)
            {
                var (lat, lon) = Places[random.Next(Places.Length)];
                place = new GeoPoint(lat + ((random.NextDouble() - 0.5) * 0.6), lon + ((random.NextDouble() - 0.5) * 0.6));
            }

            var id = $"f{i:D7}";
            var name = $"{NamePrefixes[random.Next(NamePrefixes.Length)]}{random.Next(100_000_000):D8}.jpg";
            var file = new FileAddPayload(id, Hash256.Compute(Encoding.UTF8.GetBytes(id)), 3_000_000, name, "image/jpeg", tags.Distinct(),
                media: new MediaMetadata(taken, "Canon", "EOS R6", place, 6000, 4000));
            entries.Add(new Entry("add-" + id, EntryKind.FileAdd, file.Encode(), "node-a", 1));
            if (entries.Count == BlockSize || i == files - 1)
            {
                var block = Block.Create(previous.Height + 1, previous.Hash, 2, "node-a", [.. entries]);
                ledger.Apply(block);
                previous = block;
                entries.Clear();
            }
        }

        if (ledger.FileCount != files)
        {
            throw new InvalidOperationException($"The archive holds {ledger.FileCount} files, not {files}.");
        }

        return new PhotoArchive(files, ledger);
    }

    // The square of a uniform number: a draw is tag000 7% of the time and tag199 0.25% (with 2.5 draws a photo, ~16% and ~0.6% of photos).
    private static string PopularTag(Random random)
    {
        var u = random.NextDouble();
        return Tag((int)(u * u * TagCount));
    }

    public static FileQuery[] Queries(QueryKind kind, int count, int seed)
    {
        var random = new Random(seed);
        var queries = new FileQuery[count];
        for (var i = 0; i < count; i++)
        {
            queries[i] = Query(kind, random);
        }

        return queries;
    }

    private static FileQuery Query(QueryKind kind, Random random)
    {
        var tag = Tag(random.Next(TagCount));
        switch (kind)
        {
            case QueryKind.TagAndDateRange:
                return WithYear(new FileQuery { Tags = [tag] }, random);
            case QueryKind.Tag:
                return new FileQuery { Tags = [tag] };
            case QueryKind.Near:
                var (lat, lon) = Places[random.Next(Places.Length)];
                return new FileQuery { Near = new GeoCircle(lat + ((random.NextDouble() - 0.5) * 0.4), lon + ((random.NextDouble() - 0.5) * 0.4), 5) };
            case QueryKind.NamePrefix:
                return new FileQuery { NamePrefix = $"{NamePrefixes[random.Next(NamePrefixes.Length)]}{random.Next(1000):D3}".ToLowerInvariant() };
            case QueryKind.Combined:
                var (cityLat, cityLon) = Places[random.Next(Places.Length)];
                return WithYear(new FileQuery
                {
                    Tags = [.. new[] { tag, Tag(random.Next(20)) }.Distinct()],
                    Near = new GeoCircle(cityLat, cityLon, 25),
                }, random);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    // A date range of one year starting anywhere in the archive's twenty.
    private static FileQuery WithYear(FileQuery query, Random random)
    {
        var from = Start + (long)(random.NextDouble() * (End - Start - (365 * DayMs)));
        return query with { TakenFromUnixMs = from, TakenToUnixMs = from + (365 * DayMs) };
    }
}

public enum QueryKind
{
    TagAndDateRange,
    Tag,
    Near,
    NamePrefix,
    Combined,
}
