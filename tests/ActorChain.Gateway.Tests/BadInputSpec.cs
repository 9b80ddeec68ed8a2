using System.Net;
using System.Net.Http.Headers;

namespace ActorChain.Gateway.Tests;

/// <summary>Every bad request is a 4xx problem that says what is wrong, and the chain and the file store stay as they were.</summary>
public sealed class BadInputSpec(GatewayCluster cluster) : IClassFixture<GatewayCluster>
{
    private const string UnknownId = "0000000000000000000000000000000000000000000000000000000000000000";

    private HttpClient Http => cluster["n1"];

    [Fact]
    public async Task BadUploads_AreRefusedAndStoreNothing()
    {
        var bytes = Api.RandomBytes(500, seed: 200);
        await AssertChangesNothing(async () =>
        {
            await Expect(Api.RawUpload(bytes, "../etc/passwd"), HttpStatusCode.BadRequest, "path separator");
            await Expect(Api.RawUpload(bytes, "dir\\photo.jpg"), HttpStatusCode.BadRequest, "path separator");
            await Expect(Api.RawUpload(bytes, new string('a', 256) + ".jpg"), HttpStatusCode.BadRequest, "255 UTF-8 bytes");
            await Expect(Api.RawUpload(bytes, "tab%09name.png"), HttpStatusCode.BadRequest, "control characters");
            await Expect(Api.RawUpload(bytes, ".."), HttpStatusCode.BadRequest, "not a file name");
            await Expect(Api.RawUpload(bytes, "note.txt", "text/plain"), HttpStatusCode.UnsupportedMediaType, "text/plain");
            await Expect(Api.RawUpload(bytes, "photo.png", tags: "ok," + new string('x', 65)), HttpStatusCode.BadRequest, "64 UTF-8 bytes");
            await Expect(Api.RawUpload(bytes, "photo.png", tags: string.Join(',', Enumerable.Range(0, 65).Select(i => $"t{i}"))), HttpStatusCode.BadRequest, "at most 64");
            await Expect(Api.RawUpload(bytes, "photo.png", idempotencyKey: new string('k', 300)), HttpStatusCode.BadRequest, "Idempotency-Key");

            var unnamed = Api.RawUpload(bytes, "x.png");
            unnamed.Headers.Remove("X-File-Name");
            await Expect(unnamed, HttpStatusCode.BadRequest, "X-File-Name");

            using var noFile = new MultipartFormDataContent { { new StringContent("a"), "tags" } };
            await Expect(new HttpRequestMessage(HttpMethod.Post, "/api/files") { Content = noFile }, HttpStatusCode.BadRequest, "no file part");

            using var strangeField = new MultipartFormDataContent { { new StringContent("a"), "owner" } };
            await Expect(new HttpRequestMessage(HttpMethod.Post, "/api/files") { Content = strangeField }, HttpStatusCode.BadRequest, "'owner'");

            using var badPart = new MultipartFormDataContent();
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/x-msdownload");
            badPart.Add(part, "file", "setup.exe");
            await Expect(new HttpRequestMessage(HttpMethod.Post, "/api/files") { Content = badPart }, HttpStatusCode.UnsupportedMediaType, "application/x-msdownload");
        });
    }

    [Fact]
    public async Task BadMetadata_IsRefusedAndChangesNothing()
    {
        var file = await Api.UploadAsync(Http, Api.RandomBytes(700, seed: 201), "target.png");
        var id = file.GetProperty("fileId").GetString();
        using (var defined = await Http.PostAsync("/api/fields", Api.Json("""{"name":"score","type":"number"}""")))
        {
            await Api.ExpectAsync(defined, HttpStatusCode.Created);
        }

        using (var defined = await Http.PostAsync("/api/fields", Api.Json("""{"name":"where","type":"geo"}""")))
        {
            await Api.ExpectAsync(defined, HttpStatusCode.Created);
        }

        await AssertChangesNothing(async () =>
        {
            await Put(id, "{\"addTags\":[\"a\"", "not valid JSON");
            await Put(id, "[1,2]", "not an object");
            await Put(id, """{"addTag":["a"]}""", "'addTag' is not a metadata property");
            await Put(id, """{"addTags":"a"}""", "array of strings");
            await Put(id, """{"addTags":[1]}""", "strings only");
            await Put(id, """{"fields":{"nope":"x"}}""", "'nope' is not a defined field");
            await Put(id, """{"fields":{"score":"high"}}""", "number values");
            await Put(id, """{"fields":{"where":{"lat":91,"lon":0}}}""", "latitude");
            await Put(id, """{"fields":{"where":{"lat":10}}}""", "both 'lat' and 'lon'");
            await Put(id, """{"clearFields":["nope"]}""", "'nope'");
            await Put(id, """{"addTags":["a"],"removeTags":["a"]}""", "both added and removed");
            await Expect(new HttpRequestMessage(HttpMethod.Put, $"/api/files/{UnknownId}/metadata") { Content = Api.Json("{}") }, HttpStatusCode.NotFound, UnknownId);
            await Expect(new HttpRequestMessage(HttpMethod.Put, "/api/files/not-a-hash/metadata") { Content = Api.Json("{}") }, HttpStatusCode.BadRequest, "64 hex digits");
            await Expect(new HttpRequestMessage(HttpMethod.Post, "/api/fields") { Content = Api.Json("""{"name":"x","type":"colour"}""") }, HttpStatusCode.BadRequest, "'colour'");
            await Expect(new HttpRequestMessage(HttpMethod.Post, "/api/fields") { Content = Api.Json("""{"name":"Bad Name","type":"string"}""") }, HttpStatusCode.BadRequest, "a-z");
            await Expect(new HttpRequestMessage(HttpMethod.Post, "/api/fields") { Content = Api.Json("""{"name":"x","type":"string","extra":1}""") }, HttpStatusCode.BadRequest, "'extra'");
            await Expect(new HttpRequestMessage(HttpMethod.Post, "/api/fields") { Content = Api.Json("""{"name":"x","type":"string""") }, HttpStatusCode.BadRequest, "not valid JSON");
            await Expect(new HttpRequestMessage(HttpMethod.Post, $"/api/tasks/{new string('t', 300)}/claim"), HttpStatusCode.BadRequest, "256 UTF-8 bytes");
            await Expect(new HttpRequestMessage(HttpMethod.Post, "/api/tasks/job/claim") { Content = Api.Json("""{"claimant":7}""") }, HttpStatusCode.BadRequest, "claimant");
            await Expect(new HttpRequestMessage(HttpMethod.Post, "/api/tasks/job/claim") { Content = Api.Json("""{"who":"me"}""") }, HttpStatusCode.BadRequest, "'who'");
            await Expect(new HttpRequestMessage(HttpMethod.Delete, $"/api/files/{UnknownId}"), HttpStatusCode.NotFound, UnknownId);
        });
    }

    [Fact]
    public async Task BadSearches_AreRefused()
    {
        await AssertChangesNothing(async () =>
        {
            await Get("/api/search?near=100,0,5", "latitude");
            await Get("/api/search?near=10,0,-1", "radius");
            await Get("/api/search?near=10,0", "lat,lon,km");
            await Get("/api/search?bbox=10,0,5,1", "south edge");
            await Get("/api/search?bbox=0,200,1,1", "longitude");
            await Get("/api/search?skip=-1", "not negative");
            await Get("/api/search?take=0", "'take' is 1 to 1000");
            await Get("/api/search?take=1001", "'take' is 1 to 1000");
            await Get("/api/search?take=many", "whole number");
            await Get("/api/search?from=yesterday", "ISO 8601");
            await Get("/api/search?from=2024-02-01&to=2024-01-01", "after its 'to' date");
            await Get("/api/search?colour=red", "'colour' is not a search parameter");
            await Get("/api/search?field.undefined-field=1", "no field 'undefined-field'");
            await Get("/api/search?take=1&take=2", "2 times");
            await Get("/api/files?tag=a", "only skip and take");
            await Get($"/api/files/{UnknownId}", UnknownId, HttpStatusCode.NotFound);
            await Get($"/api/files/{UnknownId}/content", UnknownId, HttpStatusCode.NotFound);
            await Get("/api/files/xyz", "64 hex digits");
        });
    }

    private async Task AssertChangesNothing(Func<Task> bad)
    {
        var head = await cluster.HeadAsync("n1");
        var blobs = cluster.StoredBlobs().Order(StringComparer.Ordinal).ToArray();
        await bad();
        Assert.Equal(head, await cluster.HeadAsync("n1"));
        Assert.Equal(blobs, cluster.StoredBlobs().Order(StringComparer.Ordinal));
    }

    private async Task Expect(HttpRequestMessage request, HttpStatusCode status, string detail)
    {
        using (request)
        {
            using var response = await Http.SendAsync(request);
            await Api.ExpectProblemAsync(response, status, detail);
        }
    }

    private Task Put(string? id, string json, string detail) =>
        Expect(new HttpRequestMessage(HttpMethod.Put, $"/api/files/{id}/metadata") { Content = Api.Json(json) }, HttpStatusCode.BadRequest, detail);

    private async Task Get(string path, string detail, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        using var response = await Http.GetAsync(path);
        await Api.ExpectProblemAsync(response, status, detail);
    }
}
