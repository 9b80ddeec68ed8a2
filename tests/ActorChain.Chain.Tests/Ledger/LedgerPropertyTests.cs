using System.Text;
using ActorChain.Chain.Ledger;
using FsCheck;
using FsCheck.Fluent;
using static ActorChain.Chain.Tests.Ledger.LedgerGenerators;
using static ActorChain.Chain.Tests.Ledger.TestEntries;

namespace ActorChain.Chain.Tests.Ledger;

public sealed class LedgerPropertyTests
{
    private static readonly string[] Nodes = ["node-a", "node-b", "node-c", "node-d", "node-e"];

    // ---- random histories: small vocabularies so entries collide, repeat ids and break rules ----

    private static Gen<string> EntryId => Gen.Choose(0, 80).Select(i => $"e{i}");

    private static Gen<Entry> AnyEntry =>
        from id in EntryId
        from entry in Gen.Frequency(
            (4, from k in Gen.Choose(0, 9) from v in Gen.Choose(0, 99) select Put(id, $"k{k}", $"v{v}")),
            (1, Gen.Choose(0, 9).Select(k => Delete(id, $"k{k}"))),
            (1, from name in Gen.Elements("rating", "album", "people")
                from type in Gen.Choose(1, 5)
                select Define(id, name, (FieldType)type)),
            (3, from f in Gen.Choose(0, 9) from spec in FileSpecs select AddFile(id, spec.ToPayload($"f{f}"))),
            (2, from f in Gen.Choose(0, 9) from meta in MetaOf($"f{f}") select Meta(id, meta)),
            (1, Gen.Choose(0, 9).Select(f => DeleteFile(id, $"f{f}"))),
            (2, from t in Gen.Choose(0, 3) from node in Gen.Elements(Nodes) select Claim(id, $"t{t}", node)),
            (1, Gen.Elements(Nodes).Select(n => AddVoter(id, n))),
            (1, Gen.Elements(Nodes).Select(n => RemoveVoter(id, n))),
            (1, from kind in Gen.Choose(1, 9)
                from junk in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b))
                select Make(id, (EntryKind)kind, junk)))
        select entry;

    private static Gen<List<List<Entry>>> History =>
        from count in Gen.Choose(1, 8)
        from blocks in Gen.ListOf(Gen.Choose(0, 12).SelectMany(n => Gen.ListOf(AnyEntry, n)).Select(l => l.ToList()), count)
        select blocks.ToList();

    private static LedgerTestChain Build(IEnumerable<IEnumerable<Entry>> blocks)
    {
        var chain = new LedgerTestChain("node-a", "node-b", "node-c");
        foreach (var entries in blocks)
        {
            chain.Append([.. entries]);
        }

        return chain;
    }

    [Fact]
    public void ReplayingTheSameBlocks_GivesEqualDigestsAndEqualSearchAnswers()
    {
        var input = from history in History from queries in Gen.ListOf(Queries, 10) select (history, queries);
        var property = Prop.ForAll(input.ToArbitrary(), c =>
        {
            var original = Build(c.history);
            var first = LedgerTestChain.Replay(original.Blocks);
            var second = LedgerTestChain.Replay(original.Blocks);

            Assert.Equal(original.Ledger.ComputeStateDigest(), first.ComputeStateDigest());
            Assert.Equal(first.ComputeStateDigest(), second.ComputeStateDigest());
            foreach (var query in c.queries)
            {
                Assert.Equal(Answer(first, query), Answer(second, query));
            }
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(60), property);
    }

    [Fact]
    public void ApplyingEachBlocksEntriesTwice_ChangesNothing()
    {
        var property = Prop.ForAll(History.ToArbitrary(), history =>
        {
            var chain = new LedgerTestChain("node-a", "node-b", "node-c");
            foreach (var entries in history)
            {
                chain.Append([.. entries]);
                var before = chain.Ledger.ComputeStateDigest(includeChainPosition: false);
                var files = Answer(chain.Ledger, new FileQuery { Take = FileQuery.MaxTake });

                var again = chain.Append([.. entries]);

                Assert.All(again.Outcomes, o => Assert.Equal(EntryStatus.Duplicate, o.Status));
                Assert.Equal(before, chain.Ledger.ComputeStateDigest(includeChainPosition: false));
                Assert.Equal(files, Answer(chain.Ledger, new FileQuery { Take = FileQuery.MaxTake }));
            }
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(60), property);
    }

    [Fact]
    public void ContentDigest_SeesEveryChange()
    {
        var chain = new LedgerTestChain();
        var before = chain.Ledger.ComputeStateDigest(includeChainPosition: false);

        chain.Append(Claim("c1", "t", "node-a"));

        Assert.NotEqual(before, chain.Ledger.ComputeStateDigest(includeChainPosition: false));
    }

    // ---- search against brute force ----

    private static readonly long LastDate = BaseDate + (3651 * Day);

    internal sealed record FileSpec(string[] Tags, long? Taken, GeoPoint? Place, string Name, int? Rating, string? Album, string[] People)
    {
        public FileAddPayload ToPayload(string fileId)
        {
            var fields = new List<KeyValuePair<string, FieldValue>>();
            if (Rating is { } rating)
            {
                fields.Add(new("rating", FieldValue.Number(rating)));
            }

            if (Album is not null)
            {
                fields.Add(new("album", FieldValue.String(Album)));
            }

            if (People.Length > 0)
            {
                fields.Add(new("people", FieldValue.Tags(People)));
            }

            return new FileAddPayload(fileId, Hash256.Compute(Encoding.UTF8.GetBytes(fileId)), 100, Name, "image/jpeg", Tags, fields,
                Taken is null && Place is null ? null : new MediaMetadata(Taken, "Canon", null, Place));
        }
    }

    private static Gen<FileSpec> FileSpecs =>
        from tags in Tags(TagWords, 5)
        from taken in Gen.Frequency((1, Gen.Constant((long?)null)), (4, Date.Select(d => (long?)d)))
        from place in Gen.Frequency((1, Gen.Constant((GeoPoint?)null)), (4, Point.Select(p => (GeoPoint?)p)))
        from name in Word(NameStarts)
        from rating in Gen.Frequency((1, Gen.Constant((int?)null)), (2, Gen.Choose(1, 5).Select(r => (int?)r)))
        from album in Gen.Elements<string?>(null, "summer", "winter", "misc")
        from people in Tags(People, 3)
        select new FileSpec(tags, taken, place, name, rating, album, people);

    private static Gen<FileMetaPayload> MetaOf(string fileId) =>
        from add in Tags(TagWords, 2)
        from remove in Tags(TagWords, 2)
        from rating in Gen.Choose(0, 5)
        from clearAlbum in Gen.Elements(true, false)
        select new FileMetaPayload(fileId, add, remove.Except(add),
            rating == 0 ? null : [new("rating", FieldValue.Number(rating))], clearAlbum ? ["album"] : null);

    private static Gen<FieldCondition?> Conditions =>
        Gen.Frequency(
            (6, Gen.Constant((FieldCondition?)null)),
            (1, Gen.Choose(1, 5).Select(r => (FieldCondition?)new FieldCondition("rating", FieldValue.Number(r)))),
            (1, Gen.Elements(Albums).Select(a => (FieldCondition?)new FieldCondition("album", FieldValue.String(a)))),
            (1, Gen.Elements(People).Select(p => (FieldCondition?)new FieldCondition("people", FieldValue.String(p)))),
            (1, Tags(People, 2).Where(t => t.Length > 0).Select(t => (FieldCondition?)new FieldCondition("people", FieldValue.Tags(t)))));

    private static Gen<GeoBox?> Boxes =>
        from south in Latitude
        from height in Gen.Choose(0, 60_000)
        from west in Longitude
        from width in Gen.Choose(0, 90_000)
        let east = west + (width / 1000.0)
        select (GeoBox?)new GeoBox(south, west, Math.Min(90, south + (height / 1000.0)), east > 180 ? east - 360 : east);

    private static Gen<FileQuery> Queries =>
        from tagCount in Gen.Frequency((5, Gen.Constant(0)), (3, Gen.Constant(1)), (1, Gen.Constant(2)))
        from tags in Gen.ArrayOf(Gen.Elements([.. TagWords, "nope"]), tagCount)
        from condition in Conditions
        from start in Gen.Frequency((3, Gen.Constant((long?)null)), (2, Date.Select(d => (long?)d)))
        from span in Gen.Frequency((1, Gen.Constant((long?)null)), (3, Gen.Choose(0, 2000).Select(d => (long?)(d * Day))))
        from near in Gen.Frequency(
            (4, Gen.Constant((GeoCircle?)null)),
            (1, from p in Point from km in Gen.Elements(0.5, 10, 100, 1000, 5000, 20_000) select (GeoCircle?)new GeoCircle(p.Latitude, p.Longitude, km)))
        from box in Gen.Frequency((5, Gen.Constant((GeoBox?)null)), (1, Boxes))
        from name in Gen.Frequency((5, Gen.Constant((string?)null)), (1, Gen.Elements<string?>("img", "IMG_1", "hol", "d", "É", "scan", "émile ")))
        from skip in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(0, 300)))
        from take in Gen.Choose(1, 200)
        select new FileQuery
        {
            Tags = tags,
            Fields = condition is { } c ? [c] : [],
            TakenFromUnixMs = start,
            TakenToUnixMs = span is { } s ? Math.Min((start ?? BaseDate) + s, LastDate) : null,
            Near = near,
            Within = box,
            NamePrefix = name,
            Skip = skip,
            Take = take,
        };

    private static LedgerTestChain Catalog(FileSpec[] specs, IEnumerable<Func<int, FileMetaPayload>>? metas = null, int deleteEvery = 0)
    {
        var chain = new LedgerTestChain();
        chain.Append(Define("d1", "rating", FieldType.Number), Define("d2", "album", FieldType.String), Define("d3", "people", FieldType.Tags));
        foreach (var batch in specs.Select((spec, i) => AddFile($"add-{i}", spec.ToPayload($"f{i:D5}"))).Chunk(1000))
        {
            chain.Append(batch);
        }

        var metaEntries = (metas ?? []).Select((meta, i) => Meta($"meta-{i}", meta(i))).ToArray();
        if (metaEntries.Length > 0)
        {
            chain.Append(metaEntries);
        }

        if (deleteEvery > 0)
        {
            chain.Append([.. Enumerable.Range(0, specs.Length).Where(i => i % deleteEvery == 0).Select(i => DeleteFile($"del-{i}", $"f{i:D5}"))]);
        }

        return chain;
    }

    [Fact]
    public void Search_EqualsABruteForceFilter_OverTwoThousandRandomFiles()
    {
        var input =
            from specs in Gen.ArrayOf(FileSpecs, 2000)
            from metas in Gen.ArrayOf(Gen.Choose(0, 1999).SelectMany(i => MetaOf($"f{i:D5}")), 300)
            from deleteEvery in Gen.Choose(5, 40)
            from queries in Gen.ArrayOf(Queries, 40)
            select (specs, metas, deleteEvery, queries);
        var property = Prop.ForAll(input.ToArbitrary(), c =>
        {
            var chain = Catalog(c.specs, c.metas.Select(m => (Func<int, FileMetaPayload>)(_ => m)), c.deleteEvery);
            Assert.True(chain.Ledger.FileCount < 2000);
            foreach (var query in c.queries)
            {
                Assert.Equal(BruteForce(chain.Ledger, query), Answer(chain.Ledger, query));
            }
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(8), property);
    }

    [Fact]
    public void Search_EqualsABruteForceFilter_OverTenThousandFiles_FixedSeed()
    {
        var specs = Gen.Sample(Gen.ArrayOf(FileSpecs, 10_000), 1, new Rnd(20_261_121), 50)[0];
        var queries = Gen.Sample(Queries, 300, new Rnd(42), 50);
        var chain = Catalog(specs, deleteEvery: 17);
        Assert.Equal(10_000 - 589, chain.Ledger.FileCount);
        var nonEmpty = 0;

        foreach (var query in queries)
        {
            var expected = BruteForce(chain.Ledger, query);
            Assert.Equal(expected, Answer(chain.Ledger, query));
            nonEmpty += expected.Total > 0 ? 1 : 0;
        }

        // The queries must exercise real matches, not only empty answers.
        Assert.True(nonEmpty > 100, $"only {nonEmpty} of {queries.Length} queries matched anything");
    }

    private static (int Total, string Ids) Answer(LedgerState ledger, FileQuery query)
    {
        var result = ledger.Search(query);
        return (result.Total, string.Join(' ', result.Items.Select(f => f.FileId)));
    }

    /// <summary>The query semantics written out independently of the indexes.</summary>
    private static (int Total, string Ids) BruteForce(LedgerState ledger, FileQuery query)
    {
        var matches = ledger.AllFiles.Where(f => Matches(f, query))
            .OrderBy(f => f.TakenAtUnixMs ?? long.MaxValue)
            .ThenBy(f => f.FileId, StringComparer.Ordinal)
            .ToList();
        return (matches.Count, string.Join(' ', matches.Skip(query.Skip).Take(query.Take).Select(f => f.FileId)));
    }

    private static bool Matches(FileRecord file, FileQuery query)
    {
        if (!query.Tags.All(file.Tags.Contains))
        {
            return false;
        }

        foreach (var condition in query.Fields)
        {
            if (!file.Fields.TryGetValue(condition.Name, out var value))
            {
                return false;
            }

            var ok = (value.Type, condition.Value.Type) switch
            {
                (FieldType.Tags, FieldType.Tags) => condition.Value.AsTags.All(value.AsTags.Contains),
                (FieldType.Tags, FieldType.String) => value.AsTags.Contains(condition.Value.AsString),
                _ => value.Equals(condition.Value),
            };
            if (!ok)
            {
                return false;
            }
        }

        if (query.TakenFromUnixMs is not null || query.TakenToUnixMs is not null)
        {
            if (file.TakenAtUnixMs is not { } taken
                || taken < (query.TakenFromUnixMs ?? long.MinValue) || taken > (query.TakenToUnixMs ?? long.MaxValue))
            {
                return false;
            }
        }

        if (query.NamePrefix is { } prefix && !file.FileName.ToUpperInvariant().StartsWith(prefix.ToUpperInvariant(), StringComparison.Ordinal))
        {
            return false;
        }

        if (query.Near is { } near && (file.Location is not { } p || near.Center.DistanceKm(p) > near.RadiusKm))
        {
            return false;
        }

        if (query.Within is { } box)
        {
            if (file.Location is not { } q || q.Latitude < box.South || q.Latitude > box.North)
            {
                return false;
            }

            var inLongitude = box.West <= box.East
                ? q.Longitude >= box.West && q.Longitude <= box.East
                : q.Longitude >= box.West || q.Longitude <= box.East;
            if (!inLongitude)
            {
                return false;
            }
        }

        return true;
    }
}
