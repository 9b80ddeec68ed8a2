using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ActorChain.Tests.Harness;

namespace ActorChain.Gateway.Tests;

/// <summary>Fields, file metadata, search filters and task claims against a real three-node cluster.</summary>
public sealed class MetadataSpec(GatewayCluster cluster) : IClassFixture<GatewayCluster>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Metadata_SetOnOneNode_IsSearchableByEveryFilterOnAnother()
    {
        var n1 = cluster["n1"];
        foreach (var (name, type) in new[] { ("album", "string"), ("rating", "number"), ("shot", "date"), ("spot", "geo"), ("people", "tags") })
        {
            using var defined = await n1.PostAsync("/api/fields", Api.Json($$"""{"name":"{{name}}","type":"{{type}}"}"""));
            var body = await Api.ExpectAsync(defined, HttpStatusCode.Created);
            Assert.Equal(type, body.GetProperty("type").GetString());
        }

        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var bytes = Api.RandomBytes(1_000 + i, seed: 100 + i);
            ids.Add((await Api.UploadAsync(n1, bytes, $"meta-{i}.png", tags: "meta-spec")).GetProperty("fileId").GetString()!);
        }

        using (var put = await n1.PutAsJsonAsync($"/api/files/{ids[0]}/metadata", JsonDocument.Parse("""
            {"addTags":["kept"],"fields":{"album":"Summer","rating":4,"shot":"2024-07-14T09:30:00Z","spot":{"lat":48.85,"lon":2.35},"people":["ann","bob"]}}
            """).RootElement))
        {
            var file = await Api.ExpectAsync(put, HttpStatusCode.OK);
            Assert.Equal(["kept", "meta-spec"], file.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
            var fields = file.GetProperty("fields");
            Assert.Equal("Summer", fields.GetProperty("album").GetString());
            Assert.Equal(4, fields.GetProperty("rating").GetDouble());
            Assert.Equal("2024-07-14T09:30:00Z", fields.GetProperty("shot").GetString());
            Assert.Equal(48.85, fields.GetProperty("spot").GetProperty("lat").GetDouble());
            Assert.Equal(["ann", "bob"], fields.GetProperty("people").EnumerateArray().Select(t => t.GetString()));
            Assert.True(file.GetProperty("updatedHeight").GetInt64() > file.GetProperty("height").GetInt64());
        }

        using (var put = await n1.PutAsJsonAsync($"/api/files/{ids[1]}/metadata", JsonDocument.Parse("""{"fields":{"album":"Winter","rating":4,"people":["ann"]}}""").RootElement))
        {
            await Api.ExpectAsync(put, HttpStatusCode.OK);
        }

        var n3 = cluster["n3"];
        await Eventually.UntilAsync(
            async () => Api.Ids(await n3.GetFromJsonAsync<JsonElement>("/api/search?field.album=Winter")).Length == 1,
            Wait,
            "n3 never saw the second file's metadata");
        var fieldList = await n3.GetFromJsonAsync<JsonElement[]>("/api/fields");
        Assert.Contains(fieldList!, f => f.GetProperty("name").GetString() == "spot" && f.GetProperty("type").GetString() == "geo");

        async Task<string[]> Search(string query) => Api.Ids(await n3.GetFromJsonAsync<JsonElement>($"/api/search?tag=meta-spec&{query}"));
        Assert.Equal([ids[0]], await Search("field.album=Summer"));
        Assert.Equal(ids.Take(2).Order(StringComparer.Ordinal), await Search("field.rating=4"));
        Assert.Equal(ids.Take(2).Order(StringComparer.Ordinal), await Search("field.people=ann"));
        Assert.Equal([ids[0]], await Search("field.people=ann,bob"));
        Assert.Equal([ids[0]], await Search("field.shot=2024-07-14T09:30:00Z"));
        Assert.Equal([ids[0]], await Search("field.spot=48.85,2.35"));
        Assert.Equal([ids[0]], await Search("tag=kept"));
        Assert.Equal([ids[3]], await Search("name=META-3"));
        Assert.Empty(await Search("field.rating=5"));

        var all = ids.Order(StringComparer.Ordinal).ToArray();
        var page = await n3.GetFromJsonAsync<JsonElement>("/api/search?tag=meta-spec&skip=1&take=2");
        Assert.Equal(5, page.GetProperty("total").GetInt32());
        Assert.Equal(1, page.GetProperty("skip").GetInt32());
        Assert.Equal(2, page.GetProperty("take").GetInt32());
        Assert.Equal(all[1..3], Api.Ids(page));
        var listed = await n3.GetFromJsonAsync<JsonElement>("/api/files?take=1000");
        Assert.True(all.All(Api.Ids(listed).Contains));

        using (var put = await n1.PutAsJsonAsync($"/api/files/{ids[0]}/metadata", JsonDocument.Parse("""{"removeTags":["kept"],"clearFields":["album"]}""").RootElement))
        {
            var file = await Api.ExpectAsync(put, HttpStatusCode.OK);
            Assert.False(file.GetProperty("fields").TryGetProperty("album", out _));
        }

        Assert.Empty(Api.Ids(await n1.GetFromJsonAsync<JsonElement>("/api/search?tag=kept")));
    }

    [Fact]
    public async Task Field_RedefinedWithAnotherType_Is409()
    {
        var n2 = cluster["n2"];
        using (var first = await n2.PostAsync("/api/fields", Api.Json("""{"name":"camera-body","type":"string"}""")))
        {
            await Api.ExpectAsync(first, HttpStatusCode.Created);
        }

        await Api.ExpectProblemAsync(await n2.PostAsync("/api/fields", Api.Json("""{"name":"camera-body","type":"number"}""")), HttpStatusCode.Conflict, "already defined as string");
        using var same = await n2.PostAsync("/api/fields", Api.Json("""{"name":"camera-body","type":"string"}"""));
        await Api.ExpectAsync(same, HttpStatusCode.Created);
    }

    [Fact]
    public async Task TaskClaims_ConcurrentOnEveryNode_SeeOneWinner()
    {
        var taskId = "nightly-thumbnails-" + Guid.NewGuid().ToString("N");
        var claims = await Task.WhenAll(GatewayCluster.Names.SelectMany(name => Enumerable.Range(0, 2).Select(async _ =>
        {
            using var response = await cluster[name].PostAsync($"/api/tasks/{taskId}/claim", null);
            return await Api.ExpectAsync(response, HttpStatusCode.OK);
        })));

        var winner = claims[0].GetProperty("winner").GetString();
        Assert.Contains(winner, GatewayCluster.Names);
        Assert.All(claims, c => Assert.Equal(winner, c.GetProperty("winner").GetString()));
        Assert.All(claims, c => Assert.Equal(claims[0].GetProperty("height").GetInt64(), c.GetProperty("height").GetInt64()));
        Assert.Equal(2, claims.Count(c => c.GetProperty("won").GetBoolean()));

        foreach (var name in GatewayCluster.Names)
        {
            await Eventually.UntilAsync(async () => (await cluster[name].GetAsync($"/api/tasks/{taskId}")).IsSuccessStatusCode, Wait, $"{name} never saw the claim");
            var task = await cluster[name].GetFromJsonAsync<JsonElement>($"/api/tasks/{taskId}");
            Assert.Equal(winner, task.GetProperty("winner").GetString());
        }

        using var named = await cluster["n3"].PostAsync($"/api/tasks/{taskId}/claim", Api.Json("""{"claimant":"worker-7"}"""));
        var late = await Api.ExpectAsync(named, HttpStatusCode.OK);
        Assert.Equal(winner, late.GetProperty("winner").GetString());
        Assert.False(late.GetProperty("won").GetBoolean());
        await Api.ExpectProblemAsync(await cluster["n1"].GetAsync("/api/tasks/never-claimed"), HttpStatusCode.NotFound, "never-claimed");
    }
}
