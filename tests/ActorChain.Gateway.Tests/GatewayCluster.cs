using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ActorChain.Tests.Harness;
using Xunit.Abstractions;

namespace ActorChain.Gateway.Tests;

/// <summary>
/// Three real nodes on loopback sharing one files directory (as nodes share a blob container),
/// started once per test class. Uploads are at most <see cref="MaxFileSize"/> bytes.
/// </summary>
public sealed class GatewayCluster : IAsyncLifetime
{
    public const int MaxFileSize = 256 * 1024;
    public static readonly string[] Names = ["n1", "n2", "n3"];

    private readonly MultiNodeCluster _cluster = new(new SilentOutput());
    private readonly Dictionary<string, HttpClient> _clients = [];

    public string FilesDirectory { get; } = Directory.CreateTempSubdirectory("actorchain-gateway-files-").FullName;

    public HttpClient this[string name] => _clients[name];

    public async Task InitializeAsync()
    {
        await _cluster.StartAsync(3, overrides: _ => new Dictionary<string, string?>
        {
            ["actorchain:gateway:filesdirectory"] = FilesDirectory,
            ["actorchain:gateway:filesshared"] = "true",
            ["actorchain:gateway:maxfilesize"] = $"{MaxFileSize}b",
            ["actorchain:chain:foreignentrydelay"] = "50ms",
        });
        await _cluster.AwaitMembersUpAsync(Names);
        foreach (var name in Names)
        {
            _clients[name] = new HttpClient { BaseAddress = _cluster[name].HttpAddress, Timeout = TimeSpan.FromSeconds(60) };
        }

        foreach (var name in Names)
        {
            await Eventually.UntilAsync(
                async () => (await _clients[name].GetAsync("/health/ready")).IsSuccessStatusCode,
                MultiNodeCluster.DefaultWait,
                $"{name} did not become ready");
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        await _cluster.DisposeAsync();
        Directory.Delete(FilesDirectory, recursive: true);
    }

    /// <summary>Blobs in the shared store (the temp folder excluded).</summary>
    public string[] StoredBlobs() =>
        [.. Directory.EnumerateFiles(FilesDirectory, "*", SearchOption.AllDirectories)
            .Where(path => Path.GetFileName(Path.GetDirectoryName(path)) != "tmp")
            .Select(Path.GetFileName)
            .OfType<string>()];

    public async Task<long> HeadAsync(string name) =>
        (await _clients[name].GetFromJsonAsync<JsonElement>("/api/chain/head")).GetProperty("height").GetInt64();

    private sealed class SilentOutput : ITestOutputHelper
    {
        public void WriteLine(string message)
        {
        }

        public void WriteLine(string format, params object[] args)
        {
        }
    }
}

/// <summary>Requests and checks the specs share.</summary>
internal static class Api
{
    public static HttpRequestMessage RawUpload(byte[] bytes, string fileName, string contentType = "image/png", string? tags = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/files") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("X-File-Name", fileName);
        if (tags is not null)
        {
            request.Headers.Add("X-Tags", tags);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return request;
    }

    public static async Task<JsonElement> UploadAsync(HttpClient http, byte[] bytes, string fileName, string contentType = "image/png", string? tags = null, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var response = await http.SendAsync(RawUpload(bytes, fileName, contentType, tags));
        return await ExpectAsync(response, expected);
    }

    public static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected} but got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>A 4xx problem+json whose detail names what is wrong.</summary>
    public static async Task ExpectProblemAsync(HttpResponseMessage response, HttpStatusCode expected, string detailContains)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected} but got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString();
        Assert.Contains(detailContains, detail, StringComparison.OrdinalIgnoreCase);
    }

    public static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    public static string[] Ids(JsonElement searchResult) =>
        [.. searchResult.GetProperty("items").EnumerateArray().Select(f => f.GetProperty("fileId").GetString()!)];
}
