using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ActorChain.Tests.Harness;

/// <summary>The node's chain routes as a spec calls them: over HTTP, decoding only what the specs compare.</summary>
internal static class ChainHttp
{
    public sealed record Written(string Key, long Height, string BlockHash, string EntryId);

    public sealed record ChainEntry(long Height, string Id, string Kind, string? Key);

    /// <summary>PUT /api/kv/{key}; null when the node did not acknowledge the write (any non-200, or no answer).</summary>
    public static async Task<Written?> TryPutAsync(HttpClient http, string key, string value, string? entryId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/kv/{Uri.EscapeDataString(key)}") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(value)) };
        if (entryId is not null)
        {
            request.Headers.Add("Idempotency-Key", entryId);
        }

        try
        {
            using var response = await http.SendAsync(request);
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<Written>() : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    public static async Task<Written> PutAsync(HttpClient http, string key, string value)
    {
        using var response = await http.PutAsync($"/api/kv/{Uri.EscapeDataString(key)}", new ByteArrayContent(Encoding.UTF8.GetBytes(value)));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"PUT {key} on {http.BaseAddress} was {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<Written>())!;
    }

    /// <summary>GET /api/kv/{key}: the value as text, or null on 404.</summary>
    public static async Task<string?> GetAsync(HttpClient http, string key, bool linearizable = false)
    {
        using var response = await http.GetAsync($"/api/kv/{Uri.EscapeDataString(key)}{(linearizable ? "?consistency=linearizable" : string.Empty)}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {key} on {http.BaseAddress} was {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>GET /api/chain/head as (height, hash), or null while the node does not answer.</summary>
    public static async Task<(long Height, string Hash)?> TryHeadAsync(HttpClient http)
    {
        try
        {
            var head = await http.GetFromJsonAsync<JsonElement>("/api/chain/head");
            return (head.GetProperty("height").GetInt64(), head.GetProperty("hash").GetString()!);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Every entry of the node's chain, read page by page through GET /api/chain/blocks.</summary>
    public static async Task<List<ChainEntry>> EntriesAsync(HttpClient http)
    {
        var entries = new List<ChainEntry>();
        for (long from = 0; ; from += 100)
        {
            var page = (await http.GetFromJsonAsync<JsonElement[]>($"/api/chain/blocks?from={from}&count=100"))!;
            foreach (var block in page)
            {
                var height = block.GetProperty("height").GetInt64();
                foreach (var entry in block.GetProperty("entries").EnumerateArray())
                {
                    entries.Add(new ChainEntry(
                        height,
                        entry.GetProperty("id").GetString()!,
                        entry.GetProperty("kind").GetString()!,
                        entry.TryGetProperty("key", out var key) ? key.GetString() : null));
                }
            }

            if (page.Length < 100)
            {
                return entries;
            }
        }
    }

    /// <summary>Waits until every node answers the same head, and returns it.</summary>
    public static async Task<(long Height, string Hash)> AwaitEqualHeadsAsync(IReadOnlyList<HttpClient> nodes, TimeSpan max, long atLeast = 0)
    {
        (long Height, string Hash)? agreed = null;
        var seen = string.Empty;
        await Eventually.UntilAsync(
            async () =>
            {
                var heads = new List<(long Height, string Hash)?>();
                foreach (var node in nodes)
                {
                    heads.Add(await TryHeadAsync(node));
                }

                seen = string.Join(", ", heads.Select(h => h is { } x ? $"{x.Height}/{x.Hash[..8]}" : "no answer"));
                agreed = heads[0];
                return heads.All(h => h is not null && h == heads[0] && h.Value.Height >= atLeast);
            },
            max,
            $"the nodes never showed one head at height {atLeast} or more (last: {seen})");
        return agreed!.Value;
    }
}
