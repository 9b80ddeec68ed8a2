using ActorChain.Chain.Ledger;
using static ActorChain.Chain.Tests.Ledger.TestEntries;

namespace ActorChain.Chain.Tests.Ledger;

public sealed class FileLedgerTests
{
    private static readonly long Jan2020 = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private static readonly GeoPoint Oslo = new(59.9139, 10.7522);

    private static LedgerTestChain WithFields()
    {
        var chain = new LedgerTestChain();
        chain.Append(
            Define("d1", "rating", FieldType.Number),
            Define("d2", "album", FieldType.String),
            Define("d3", "people", FieldType.Tags),
            Define("d4", "shot", FieldType.Date),
            Define("d5", "spot", FieldType.Geo));

        // Undated, untagged files make every index more selective than a scan, so searches use the indexes.
        chain.Append([.. Enumerable.Range(0, 4).Select(i => AddFile($"fill-{i}", new FileAddPayload($"zfill-{i}", default, 1, "~filler.bin", "application/octet-stream")))]);
        return chain;
    }

    private static string[] Ids(LedgerState ledger, FileQuery query) => [.. ledger.Search(query).Items.Select(f => f.FileId)];

    private static FileQuery[] EveryFacetOf(string tag) =>
    [
        new() { Tags = [tag] },
        new() { Fields = [new("rating", FieldValue.Number(5))] },
        new() { Fields = [new("people", FieldValue.String("alice"))] },
        new() { TakenFromUnixMs = Jan2020, TakenToUnixMs = Jan2020 },
        new() { Near = new GeoCircle(Oslo.Latitude, Oslo.Longitude, 1) },
        new() { Within = new GeoBox(59, 10, 60, 11) },
        new() { NamePrefix = "holiday" },
    ];

    [Fact]
    public void FileAdd_RecordsTheFileAndIndexesEveryFacet()
    {
        var chain = WithFields();
        var photo = Photo("f1", Jan2020, Oslo, ["beach", "family"], "Holiday-01.JPG",
            [new("rating", FieldValue.Number(5)), new("people", FieldValue.Tags(["alice", "bob"]))]);

        var result = chain.Append(AddFile("a1", photo));

        Assert.Equal(EntryStatus.Applied, result.Outcomes[0].Status);
        Assert.True(chain.Ledger.TryGetFile("f1", out var file));
        Assert.Equal((3L, chain.Blocks[3].Hash, "a1"), (file.AddedHeight, file.AddedBlockHash, file.AddedEntryId));
        Assert.Equal(["beach", "family"], file.Tags);
        Assert.Equal("Canon", file.Media!.CameraMake);
        Assert.All(EveryFacetOf("beach"), q => Assert.Equal(["f1"], Ids(chain.Ledger, q)));
    }

    [Fact]
    public void FileDelete_RemovesTheFileFromEveryIndex()
    {
        var chain = WithFields();
        chain.Append(AddFile("a1", Photo("f1", Jan2020, Oslo, ["beach"], "holiday.jpg",
            [new("rating", FieldValue.Number(5)), new("people", FieldValue.Tags(["alice"]))])));

        var result = chain.Append(DeleteFile("x1", "f1"));

        Assert.Equal(EntryStatus.Applied, result.Outcomes[0].Status);
        Assert.False(chain.Ledger.TryGetFile("f1", out _));
        Assert.All(EveryFacetOf("beach"), q => Assert.Empty(Ids(chain.Ledger, q)));
        Assert.DoesNotContain("f1", Ids(chain.Ledger, new FileQuery()));
    }

    [Fact]
    public void FileDelete_ThenAddAgain_IndexesTheNewFile()
    {
        var chain = WithFields();
        chain.Append(AddFile("a1", Photo("f1", Jan2020, tags: ["old"])));
        chain.Append(DeleteFile("x1", "f1"));

        chain.Append(AddFile("a2", Photo("f1", Jan2020 + 1, tags: ["new"])));

        Assert.Empty(Ids(chain.Ledger, new FileQuery { Tags = ["old"] }));
        Assert.Equal(["f1"], Ids(chain.Ledger, new FileQuery { Tags = ["new"] }));
    }

    [Fact]
    public void FileMeta_UpdatesTagAndFieldIndexesAndTheUpdateLocation()
    {
        var chain = WithFields();
        chain.Append(AddFile("a1", Photo("f1", Jan2020, tags: ["beach", "family"], fields: [new("rating", FieldValue.Number(3))])));

        var result = chain.Append(Meta("m1", new FileMetaPayload("f1", addTags: ["sunset"], removeTags: ["beach"],
            setFields: [new("album", FieldValue.String("summer"))], clearFields: ["rating"])));

        Assert.Equal(EntryStatus.Applied, result.Outcomes[0].Status);
        Assert.True(chain.Ledger.TryGetFile("f1", out var file));
        Assert.Equal(["family", "sunset"], file.Tags);
        Assert.Equal((4L, "m1", 3L), (file.UpdatedHeight, file.UpdatedEntryId, file.AddedHeight));
        Assert.Empty(Ids(chain.Ledger, new FileQuery { Tags = ["beach"] }));
        Assert.Equal(["f1"], Ids(chain.Ledger, new FileQuery { Tags = ["sunset", "family"] }));
        Assert.Empty(Ids(chain.Ledger, new FileQuery { Fields = [new("rating", FieldValue.Number(3))] }));
        Assert.Equal(["f1"], Ids(chain.Ledger, new FileQuery { Fields = [new("album", FieldValue.String("summer"))] }));
    }

    [Fact]
    public void FileAdd_OfAnExistingId_IsRejectedAndKeepsTheFirst()
    {
        var chain = WithFields();
        chain.Append(AddFile("a1", Photo("f1", tags: ["first"])));

        var result = chain.Append(AddFile("a2", Photo("f1", tags: ["second"])));

        Assert.Equal(EntryStatus.Rejected, result.Outcomes[0].Status);
        Assert.True(chain.Ledger.TryGetFile("f1", out var file));
        Assert.Equal(["first"], file.Tags);
    }

    [Fact]
    public void FileValues_MustBelongToADefinedFieldOfTheirType()
    {
        var chain = WithFields();
        chain.Append(AddFile("a0", Photo("f0")));

        var result = chain.Append(
            AddFile("a1", Photo("f1", fields: [new("rating", FieldValue.String("five"))])),
            AddFile("a2", Photo("f2", fields: [new("undefined", FieldValue.Number(1))])),
            Meta("m1", new FileMetaPayload("f0", setFields: [new("shot", FieldValue.Number(1))])),
            Meta("m2", new FileMetaPayload("f0", setFields: [new("spot", FieldValue.Geo(1, 2)), new("shot", FieldValue.Date(Jan2020))])));

        Assert.Equal([EntryStatus.Rejected, EntryStatus.Rejected, EntryStatus.Rejected, EntryStatus.Applied], result.Outcomes.Select(o => o.Status));
        Assert.Contains("number", result.Outcomes[0].Reason, StringComparison.Ordinal);
        Assert.Contains("not defined", result.Outcomes[1].Reason, StringComparison.Ordinal);
        Assert.False(chain.Ledger.TryGetFile("f1", out _));
        Assert.True(chain.Ledger.TryGetFile("f0", out var file));
        Assert.Equal(FieldValue.Geo(1, 2), file.Fields["spot"]);
    }

    [Fact]
    public void FileMeta_ForAnUnknownFile_OrBeyondTheTagLimit_IsRejected()
    {
        var chain = WithFields();
        chain.Append(AddFile("a1", Photo("f1", tags: [.. Enumerable.Range(0, 60).Select(i => $"t{i}")])));

        var result = chain.Append(
            Meta("m1", new FileMetaPayload("nope", addTags: ["x"])),
            Meta("m2", new FileMetaPayload("f1", addTags: [.. Enumerable.Range(100, 5).Select(i => $"t{i}")])));

        Assert.All(result.Outcomes, o => Assert.Equal(EntryStatus.Rejected, o.Status));
        Assert.True(chain.Ledger.TryGetFile("f1", out var file));
        Assert.Equal(60, file.Tags.Count);
        Assert.Empty(Ids(chain.Ledger, new FileQuery { Tags = ["t100"] }));
    }

    [Fact]
    public void FileDelete_OfAnUnknownFile_IsRejected()
    {
        var chain = WithFields();

        Assert.Equal(EntryStatus.Rejected, chain.Append(DeleteFile("x1", "nope")).Outcomes[0].Status);
    }

    [Fact]
    public void Search_OrdersByDateTakenThenId_WithUndatedFilesLast_AndPages()
    {
        var chain = WithFields();
        chain.Append(
            AddFile("a1", Photo("c", Jan2020 + 5, tags: ["t"])),
            AddFile("a2", Photo("u2", null, tags: ["t"])),
            AddFile("a3", Photo("b", Jan2020 + 5, tags: ["t"])),
            AddFile("a4", Photo("a", Jan2020 + 9, tags: ["t"])),
            AddFile("a5", Photo("u1", null, tags: ["t"])),
            AddFile("a6", Photo("z", Jan2020 - 1, tags: ["t"])));

        Assert.Equal(["z", "b", "c", "a", "u1", "u2"], Ids(chain.Ledger, new FileQuery { Tags = ["t"] }));
        var page = chain.Ledger.Search(new FileQuery { Tags = ["t"], Skip = 2, Take = 3 });
        Assert.Equal(6, page.Total);
        Assert.Equal(["c", "a", "u1"], page.Items.Select(f => f.FileId));
        Assert.Empty(chain.Ledger.Search(new FileQuery { Skip = 10 }).Items);
        Assert.Equal(["b", "c"], Ids(chain.Ledger, new FileQuery { TakenFromUnixMs = Jan2020, TakenToUnixMs = Jan2020 + 5 }));
        Assert.Equal(["b", "c", "a"], Ids(chain.Ledger, new FileQuery { TakenFromUnixMs = Jan2020 }));
    }

    [Fact]
    public void Search_Near_FiltersByHaversineDistance()
    {
        var chain = WithFields();
        chain.Append(
            AddFile("a1", Photo("close", location: new GeoPoint(59.95, 10.75))),
            AddFile("a2", Photo("far", location: new GeoPoint(60.4, 10.75))),
            AddFile("a3", Photo("nowhere")));

        Assert.Equal(["close"], Ids(chain.Ledger, new FileQuery { Near = new GeoCircle(Oslo.Latitude, Oslo.Longitude, 10) }));
        Assert.Equal(["close", "far"], Ids(chain.Ledger, new FileQuery { Near = new GeoCircle(Oslo.Latitude, Oslo.Longitude, 60) }));
    }

    [Fact]
    public void Search_NearTheAntimeridian_FindsPointsOnBothSides()
    {
        var chain = WithFields();
        chain.Append(
            AddFile("a1", Photo("east", location: new GeoPoint(-17, 179.95))),
            AddFile("a2", Photo("west", location: new GeoPoint(-17, -179.95))),
            AddFile("a3", Photo("away", location: new GeoPoint(-17, 170))));

        Assert.Equal(["east", "west"], Ids(chain.Ledger, new FileQuery { Near = new GeoCircle(-17, 179.99, 20) }));
        Assert.Equal(["east", "west"], Ids(chain.Ledger, new FileQuery { Near = new GeoCircle(-17, -179.99, 20) }));
    }

    [Fact]
    public void Search_NearAPole_CoversEveryLongitude()
    {
        var chain = WithFields();
        chain.Append(
            AddFile("a1", Photo("p1", location: new GeoPoint(89.9, 0))),
            AddFile("a2", Photo("p2", location: new GeoPoint(89.9, 180))));

        Assert.Equal(["p1", "p2"], Ids(chain.Ledger, new FileQuery { Near = new GeoCircle(90, 0, 50) }));
    }

    [Fact]
    public void Search_BoundingBoxAcrossTheAntimeridian_IsSupported()
    {
        var chain = WithFields();
        chain.Append(
            AddFile("a1", Photo("fiji", location: new GeoPoint(-17.7, 178.1))),
            AddFile("a2", Photo("samoa", location: new GeoPoint(-13.8, -171.8))),
            AddFile("a3", Photo("oslo", location: Oslo)));

        var box = new GeoBox(South: -20, West: 170, North: -10, East: -170);

        Assert.True(box.CrossesAntimeridian);
        Assert.Equal(["fiji", "samoa"], Ids(chain.Ledger, new FileQuery { Within = box }));
        Assert.Equal(["oslo"], Ids(chain.Ledger, new FileQuery { Within = new GeoBox(-90, -180, 90, 180), NamePrefix = "OS" }));
    }

    [Fact]
    public void Search_NamePrefix_IsCaseInsensitive()
    {
        var chain = WithFields();
        chain.Append(
            AddFile("a1", Photo("f1", name: "Émile-birthday.jpg")),
            AddFile("a2", Photo("f2", name: "émile-cake.jpg")),
            AddFile("a3", Photo("f3", name: "emile.jpg")));

        Assert.Equal(["f1", "f2"], Ids(chain.Ledger, new FileQuery { NamePrefix = "éMILE" }));
        Assert.Equal(["f3"], Ids(chain.Ledger, new FileQuery { NamePrefix = "EMI" }));
    }

    [Fact]
    public void Search_TagsField_MatchesFilesHoldingEveryQueriedTag()
    {
        var chain = WithFields();
        chain.Append(
            AddFile("a1", Photo("f1", fields: [new("people", FieldValue.Tags(["alice", "bob"]))])),
            AddFile("a2", Photo("f2", fields: [new("people", FieldValue.Tags(["alice"]))])));

        Assert.Equal(["f1", "f2"], Ids(chain.Ledger, new FileQuery { Fields = [new("people", FieldValue.String("alice"))] }));
        Assert.Equal(["f1"], Ids(chain.Ledger, new FileQuery { Fields = [new("people", FieldValue.Tags(["bob", "alice"]))] }));
        Assert.Empty(Ids(chain.Ledger, new FileQuery { Fields = [new("people", FieldValue.Tags(["carol"]))] }));
    }

    [Fact]
    public void Search_CombinesConditionsWithAnd()
    {
        var chain = WithFields();
        chain.Append(
            AddFile("a1", Photo("f1", Jan2020, Oslo, ["cat"], fields: [new("rating", FieldValue.Number(4))])),
            AddFile("a2", Photo("f2", Jan2020, Oslo, ["cat"], fields: [new("rating", FieldValue.Number(2))])),
            AddFile("a3", Photo("f3", Jan2020, null, ["cat"], fields: [new("rating", FieldValue.Number(4))])));

        var query = new FileQuery
        {
            Tags = ["cat"],
            Fields = [new("rating", FieldValue.Number(4))],
            Near = new GeoCircle(Oslo.Latitude, Oslo.Longitude, 5),
            TakenFromUnixMs = Jan2020,
        };

        Assert.Equal(["f1"], Ids(chain.Ledger, query));
    }

    [Theory]
    [InlineData("take0")]
    [InlineData("take1001")]
    [InlineData("skipNegative")]
    [InlineData("fromAfterTo")]
    [InlineData("radius0")]
    [InlineData("latitude91")]
    [InlineData("boxSouthAboveNorth")]
    [InlineData("badTag")]
    [InlineData("badField")]
    public void Search_WithOutOfBoundsQuery_Throws(string which)
    {
        var query = which switch
        {
            "take0" => new FileQuery { Take = 0 },
            "take1001" => new FileQuery { Take = 1001 },
            "skipNegative" => new FileQuery { Skip = -1 },
            "fromAfterTo" => new FileQuery { TakenFromUnixMs = 10, TakenToUnixMs = 9 },
            "radius0" => new FileQuery { Near = new GeoCircle(0, 0, 0) },
            "latitude91" => new FileQuery { Near = new GeoCircle(91, 0, 1) },
            "boxSouthAboveNorth" => new FileQuery { Within = new GeoBox(10, 0, 5, 1) },
            "badTag" => new FileQuery { Tags = ["a,b"] },
            _ => new FileQuery { Fields = [new("Bad Name", FieldValue.Number(1))] },
        };

        Assert.Throws<ArgumentException>(() => WithFields().Ledger.Search(query));
    }
}
