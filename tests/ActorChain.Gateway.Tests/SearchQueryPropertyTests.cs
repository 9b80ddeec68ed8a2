using System.Globalization;
using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using ActorChain.Gateway.Search;
using Microsoft.AspNetCore.WebUtilities;

namespace ActorChain.Gateway.Tests;

/// <summary>
/// Random query strings, parsed by the gateway's parser and answered by the ledger's indexes,
/// give exactly what a brute-force filter over all 10,000 files gives.
/// </summary>
public sealed class SearchQueryPropertyTests
{
    private const int FileCount = 10_000;
    private const int QueryCount = 300;
    private static readonly string[] TagPool = ["beach", "family", "cat", "dog", "snow", "city", "food", "night", "2019", "trip", "gran", "x"];
    private static readonly string[] Albums = ["Summer", "Winter", "Wedding", "Misc"];
    private static readonly string[] Names = ["IMG_", "img_", "DSC", "Paris-", "paris_", "scan", "Été-"];
    private static readonly long MinDate = new DateTimeOffset(2015, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private static readonly long MaxDate = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public void Search_ThroughTheQueryString_EqualsBruteForce()
    {
        var random = new Random(20261121);
        var (ledger, files) = BuildLedger(random);

        // Search order (date taken, undated last, then id) once; a filter keeps it.
        var ordered = files.OrderBy(f => f.TakenAtUnixMs ?? long.MaxValue).ThenBy(f => f.FileId, StringComparer.Ordinal)
            .Select(f => new Flat(f, [.. f.Tags], f.TakenAtUnixMs, f.Location, f.FileName.ToUpperInvariant())).ToList();
        Assert.Equal(FileCount, ledger.FileCount);

        for (var i = 0; i < QueryCount; i++)
        {
            var (queryString, expected) = RandomQuery(random, files);
            var parameters = QueryHelpers.ParseQuery(queryString);
            Assert.True(
                SearchQueryParser.TryParse(parameters, ledger.Fields, pagingOnly: false, out var query, out var error),
                $"query {i} '{queryString}' was refused: {error}");
            var result = ledger.Search(query);

            var matching = ordered.Where(expected.Matches).ToList();
            Assert.True(matching.Count == result.Total, $"query {i} '{queryString}': {result.Total} found, brute force {matching.Count}");
            Assert.Equal(
                matching.Skip(expected.Skip).Take(expected.Take).Select(f => f.File.FileId),
                result.Items.Select(f => f.FileId));
        }
    }

    private static (LedgerState Ledger, List<FileRecord> Files) BuildLedger(Random random)
    {
        var ledger = new LedgerState();
        var block = GenesisPayload.CreateGenesisBlock("search-property", ["n1"], timestampUnixMs: 0);
        ledger.Apply(block);
        var entries = new List<Entry>
        {
            Define("album", FieldType.String), Define("rating", FieldType.Number), Define("shot", FieldType.Date),
            Define("spot", FieldType.Geo), Define("people", FieldType.Tags),
        };
        block = Block.Create(1, block.Hash, 1, "n1", entries);
        ledger.Apply(block);

        var ids = new List<string>();
        for (var height = 2; ids.Count < FileCount; height++)
        {
            entries = [];
            for (var i = 0; i < 1000 && ids.Count < FileCount; i++)
            {
                var payload = RandomFile(random);
                ids.Add(payload.FileId);
                entries.Add(new Entry($"add-{ids.Count}", EntryKind.FileAdd, payload.Encode(), "n1", 0));
            }

            block = Block.Create(height, block.Hash, height, "n1", entries);
            var applied = ledger.Apply(block);
            Assert.Equal(entries.Count, applied.AppliedCount);
        }

        return (ledger, [.. ids.Select(id => ledger.TryGetFile(id, out var file) ? file : throw new InvalidOperationException(id))]);

        static Entry Define(string name, FieldType type) => new($"define-{name}", EntryKind.FieldDefine, new FieldDefinePayload(name, type).Encode(), "n1", 0);
    }

    private static FileAddPayload RandomFile(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        var sha = new Hash256(bytes);
        var tags = TagPool.Where(_ => random.Next(4) == 0);
        var fields = new List<KeyValuePair<string, FieldValue>>();
        if (random.Next(2) == 0)
        {
            fields.Add(new("album", FieldValue.String(Albums[random.Next(Albums.Length)])));
        }

        if (random.Next(2) == 0)
        {
            fields.Add(new("rating", FieldValue.Number(random.Next(1, 6))));
        }

        if (random.Next(3) == 0)
        {
            fields.Add(new("people", FieldValue.Tags(TagPool.Where(_ => random.Next(3) == 0).Take(3).DefaultIfEmpty("ann"))));
        }

        if (random.Next(5) == 0)
        {
            fields.Add(new("spot", FieldValue.Geo(Point(random))));
        }

        if (random.Next(5) == 0)
        {
            fields.Add(new("shot", FieldValue.Date(random.NextInt64(MinDate, MaxDate))));
        }

        MediaMetadata? media = random.Next(5) == 0
            ? null
            : new MediaMetadata(
                random.Next(4) == 0 ? null : random.NextInt64(MinDate, MaxDate),
                location: random.Next(3) == 0 ? null : Point(random));
        var name = Names[random.Next(Names.Length)] + random.Next(10_000).ToString(CultureInfo.InvariantCulture) + ".jpg";
        return new FileAddPayload(sha.ToString(), sha, random.Next(1, 1 << 20), name, "image/jpeg", tags, fields, media);
    }

    /// <summary>Mostly around Europe, some near the antimeridian, so boxes that cross it are exercised.</summary>
    private static GeoPoint Point(Random random) => random.Next(5) == 0
        ? new GeoPoint(-30 + (random.NextDouble() * 20), random.Next(2) == 0 ? 175 + (random.NextDouble() * 5) : -180 + (random.NextDouble() * 5))
        : new GeoPoint(40 + (random.NextDouble() * 15), -5 + (random.NextDouble() * 25));

    private static (string QueryString, Expected Expected) RandomQuery(Random random, List<FileRecord> files)
    {
        var parts = new List<string>();
        var expected = new Expected();
        void Add(string key, string value) => parts.Add($"{Uri.EscapeDataString(key)}={Uri.EscapeDataString(value)}");

        foreach (var tag in TagPool.Where(_ => random.Next(8) == 0).Take(2))
        {
            Add("tag", tag);
            expected.Tags.Add(tag);
        }

        var sample = files[random.Next(files.Count)];
        switch (random.Next(7))
        {
            case 0:
                var album = Albums[random.Next(Albums.Length)];
                Add("field.album", album);
                expected.Fields.Add(("album", FieldValue.String(album)));
                break;
            case 1:
                var rating = random.Next(1, 6);
                Add("field.rating", rating.ToString(CultureInfo.InvariantCulture));
                expected.Fields.Add(("rating", FieldValue.Number(rating)));
                break;
            case 2:
                var people = TagPool.Where(_ => random.Next(4) == 0).Take(2).DefaultIfEmpty("ann").ToArray();
                Add("field.people", string.Join(',', people));
                expected.Fields.Add(("people", FieldValue.Tags(people)));
                break;
            case 3 when sample.Fields.TryGetValue("spot", out var spot):
                Add("field.spot", spot.ToString());
                expected.Fields.Add(("spot", spot));
                break;
            case 4 when sample.Fields.TryGetValue("shot", out var shot):
                Add("field.shot", GatewayJson.FormatDate(shot.AsDateUnixMs));
                expected.Fields.Add(("shot", shot));
                break;
        }

        if (random.Next(3) == 0)
        {
            var a = random.NextInt64(MinDate, MaxDate);
            var b = random.NextInt64(MinDate, MaxDate);
            var (from, to) = (Math.Min(a, b), Math.Max(a, b));
            if (random.Next(2) == 0)
            {
                var fromDay = DateTimeOffset.FromUnixTimeMilliseconds(from).UtcDateTime.Date;
                var toDay = DateTimeOffset.FromUnixTimeMilliseconds(to).UtcDateTime.Date;
                Add("from", fromDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                Add("to", toDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                expected.From = new DateTimeOffset(fromDay, TimeSpan.Zero).ToUnixTimeMilliseconds();
                expected.To = new DateTimeOffset(toDay.AddDays(1), TimeSpan.Zero).ToUnixTimeMilliseconds() - 1;
            }
            else
            {
                Add("from", GatewayJson.FormatDate(from));
                expected.From = from;
                if (random.Next(2) == 0)
                {
                    Add("to", DateTimeOffset.FromUnixTimeMilliseconds(to).ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture));
                    expected.To = to;
                }
            }
        }

        switch (random.Next(4))
        {
            case 0:
                var center = Point(random);
                var km = 1 + (random.NextDouble() * 800);
                Add("near", FormattableString.Invariant($"{center.Latitude},{center.Longitude},{km}"));
                expected.Near = new GeoCircle(center.Latitude, center.Longitude, km);
                break;
            case 1:
                var corner = Point(random);
                var south = corner.Latitude;
                var north = Math.Min(90, south + (random.NextDouble() * 15));
                var west = corner.Longitude;
                var east = west + (random.NextDouble() * 20);
                east = east > 180 ? east - 360 : east;
                Add("bbox", FormattableString.Invariant($"{south},{west},{north},{east}"));
                expected.Box = (south, west, north, east);
                break;
        }

        if (random.Next(4) == 0)
        {
            var prefix = Names[random.Next(Names.Length)][..random.Next(1, 4)];
            prefix = random.Next(2) == 0 ? prefix.ToLowerInvariant() : prefix.ToUpperInvariant();
            Add("name", prefix);
            expected.Name = prefix;
        }

        if (random.Next(2) == 0)
        {
            expected.Skip = random.Next(0, 40);
            Add("skip", expected.Skip.ToString(CultureInfo.InvariantCulture));
        }

        if (random.Next(2) == 0)
        {
            expected.Take = random.Next(1, 200);
            Add("take", expected.Take.ToString(CultureInfo.InvariantCulture));
        }

        return ("?" + string.Join('&', parts.OrderBy(_ => random.Next())), expected);
    }

    /// <summary>A file's searchable facts in plain collections, so 300 brute-force scans of 10,000 files stay quick.</summary>
    private sealed record Flat(FileRecord File, HashSet<string> Tags, long? TakenAtUnixMs, GeoPoint? Location, string NameUpper);

    /// <summary>The conditions as the test meant them, checked one file at a time.</summary>
    private sealed class Expected
    {
        public List<string> Tags { get; } = [];

        public List<(string Name, FieldValue Value)> Fields { get; } = [];

        public long? From { get; set; }

        public long? To { get; set; }

        public GeoCircle? Near { get; set; }

        public (double South, double West, double North, double East)? Box { get; set; }

        public string? Name { get; set; }

        public int Skip { get; set; }

        public int Take { get; set; } = FileQuery.DefaultTake;

        public bool Matches(Flat file)
        {
            if (!Tags.All(file.Tags.Contains))
            {
                return false;
            }

            foreach (var (name, value) in Fields)
            {
                if (!file.File.Fields.TryGetValue(name, out var actual)
                    || !(actual.Type == FieldType.Tags ? actual.AsTags.IsSupersetOf(value.AsTags) : actual.Equals(value)))
                {
                    return false;
                }
            }

            if ((From is not null || To is not null)
                && (file.TakenAtUnixMs is not { } taken || taken < (From ?? long.MinValue) || taken > (To ?? long.MaxValue)))
            {
                return false;
            }

            if (Near is { } near && (file.Location is not { } at || near.Center.DistanceKm(at) > near.RadiusKm))
            {
                return false;
            }

            if (Box is var (south, west, north, east))
            {
                if (file.Location is not { } point || point.Latitude < south || point.Latitude > north)
                {
                    return false;
                }

                var inside = west <= east
                    ? point.Longitude >= west && point.Longitude <= east
                    : point.Longitude >= west || point.Longitude <= east;
                if (!inside)
                {
                    return false;
                }
            }

            return Name is null || file.NameUpper.StartsWith(Name.ToUpperInvariant(), StringComparison.Ordinal);
        }
    }
}
