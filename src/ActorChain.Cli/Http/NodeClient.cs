using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.Json;

namespace ActorChain.Cli.Http;

/// <summary>
/// One node's HTTP gateway, typed: every command talks to nodes through this class only.
/// Transport failures become <see cref="NodeUnreachableException"/>, error statuses <see cref="NodeApiException"/>.
/// </summary>
internal sealed class NodeClient : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    private readonly bool _trustsPrivateCa;

    public NodeClient(Uri node, string? apiKey, TimeSpan? timeout = null, int maxConnections = 64, TrustedCa? trustedCa = null)
    {
        Node = node;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        trustedCa?.Apply(handler);
        _trustsPrivateCa = trustedCa is not null;
        _http = new HttpClient(handler) { BaseAddress = node, Timeout = Timeout.InfiniteTimeSpan };
        if (!string.IsNullOrEmpty(apiKey))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        RequestTimeout = timeout ?? DefaultTimeout;
    }

    public Uri Node { get; }

    public TimeSpan RequestTimeout { get; }

    public Task<Member[]> MembersAsync(CancellationToken ct) => GetJsonAsync<Member[]>("/api/cluster/members", ct);

    public Task<MembershipChange> LeaveAsync(CancellationToken ct) => SendJsonAsync<MembershipChange>(HttpMethod.Post, "/api/cluster/leave", null, ct);

    public Task<MembershipChange> DownAsync(string nodeId, CancellationToken ct) =>
        SendJsonAsync<MembershipChange>(HttpMethod.Post, $"/api/cluster/down/{Uri.EscapeDataString(nodeId)}", null, ct);

    /// <summary>The voter set at the node's head.</summary>
    public async Task<Voter[]> VotersAsync(CancellationToken ct)
    {
        const string path = "/api/cluster/voters";
        var body = await GetJsonAsync<JsonElement>(path, ct);
        try
        {
            return Voter.ParseList(body);
        }
        catch (JsonException e)
        {
            throw new NodeApiException(Node, "GET " + path, 200, new Problem(null, "Unreadable answer", 200, e.Message));
        }
    }

    /// <summary>voter.add; <paramref name="publicKey"/> is the base64 SPKI a signed chain needs (the node checks it).</summary>
    public Task<VoterChange> AddVoterAsync(string nodeId, string? publicKey, CancellationToken ct) =>
        SendJsonAsync<VoterChange>(HttpMethod.Post, VoterPath(nodeId) + (publicKey is null ? string.Empty : "?publicKey=" + Uri.EscapeDataString(publicKey)), null, ct);

    public Task<VoterChange> RemoveVoterAsync(string nodeId, CancellationToken ct) => SendJsonAsync<VoterChange>(HttpMethod.Delete, VoterPath(nodeId), null, ct);

    public Task<Head> HeadAsync(CancellationToken ct) => GetJsonAsync<Head>("/api/chain/head", ct);

    public Task<Block> BlockAsync(long height, CancellationToken ct) => GetJsonAsync<Block>($"/api/chain/blocks/{height}", ct);

    public Task<Block[]> BlocksAsync(long from, int count, CancellationToken ct) => GetJsonAsync<Block[]>($"/api/chain/blocks?from={from}&count={count}", ct);

    public Task<VerifyResult> VerifyAsync(CancellationToken ct) => GetJsonAsync<VerifyResult>("/api/chain/verify", ct);

    /// <summary>The value, or null when the key is absent (404).</summary>
    public async Task<byte[]?> KvGetAsync(string key, bool linearizable, CancellationToken ct)
    {
        var path = KvPath(key) + (linearizable ? "?consistency=linearizable" : string.Empty);
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, "GET " + path, ct);
        return await response.Content.ReadAsByteArrayAsync(ct);
    }

    public Task<KvWrite> KvPutAsync(string key, byte[] value, CancellationToken ct, string? idempotencyKey = null) =>
        SendJsonAsync<KvWrite>(HttpMethod.Put, KvPath(key), () => new ByteArrayContent(value), ct, idempotencyKey);

    public Task<KvWrite> KvDeleteAsync(string key, CancellationToken ct) => SendJsonAsync<KvWrite>(HttpMethod.Delete, KvPath(key), null, ct);

    public Task<TaskClaim> ClaimTaskAsync(string taskId, string? claimant, CancellationToken ct) =>
        SendJsonAsync<TaskClaim>(
            HttpMethod.Post,
            $"/api/tasks/{Uri.EscapeDataString(taskId)}/claim",
            claimant is null ? null : () => JsonContent.Create(new { claimant }, options: ApiJson.Options),
            ct);

    /// <summary>The stored file, or null when the node has no file with that id (404).</summary>
    public async Task<StoredFile?> FileAsync(string fileId, CancellationToken ct)
    {
        var path = $"/api/files/{Uri.EscapeDataString(fileId)}";
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, "GET " + path, ct);
        return (await response.Content.ReadFromJsonAsync<StoredFile>(ApiJson.Options, ct))!;
    }

    /// <summary>Uploads raw bytes from <paramref name="open"/> (called again for a retried request).</summary>
    public async Task<Uploaded> UploadAsync(Func<Stream> open, string fileName, string contentType, IReadOnlyList<string> tags, CancellationToken ct)
    {
        using var response = await SendAsync(
            () =>
            {
                var content = new StreamContent(open());
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
                var request = new HttpRequestMessage(HttpMethod.Post, "/api/files") { Content = content };
                // The gateway percent-decodes both headers, so any name or tag survives ASCII-only headers.
                request.Headers.Add("X-File-Name", Uri.EscapeDataString(fileName));
                if (tags.Count > 0)
                {
                    request.Headers.Add("X-Tags", string.Join(',', tags.Select(Uri.EscapeDataString)));
                }

                return request;
            },
            ct);
        await EnsureSuccessAsync(response, "POST /api/files", ct);
        var file = (await response.Content.ReadFromJsonAsync<StoredFile>(ApiJson.Options, ct))!;
        return new Uploaded(file, response.StatusCode == HttpStatusCode.Created);
    }

    /// <summary>Copies the file's bytes into <paramref name="destination"/>; false when the node has no such file.</summary>
    public async Task<bool> DownloadAsync(string fileId, Stream destination, CancellationToken ct)
    {
        var path = $"/api/files/{Uri.EscapeDataString(fileId)}/content";
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), ct, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, "GET " + path, ct);
        await response.Content.CopyToAsync(destination, ct);
        return true;
    }

    public Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken ct) => GetJsonAsync<SearchResult>("/api/search" + query.ToQueryString(), ct);

    public Task<SearchResult> FilesAsync(int skip, int take, CancellationToken ct) => GetJsonAsync<SearchResult>($"/api/files?skip={skip}&take={take}", ct);

    public Task<StoredFile> UpdateMetadataAsync(string fileId, MetadataUpdate update, CancellationToken ct) =>
        SendJsonAsync<StoredFile>(
            HttpMethod.Put,
            $"/api/files/{Uri.EscapeDataString(fileId)}/metadata",
            () => JsonContent.Create(update, options: ApiJson.Options),
            ct);

    public void Dispose() => _http.Dispose();

    private static string KvPath(string key) => $"/api/kv/{Uri.EscapeDataString(key)}";

    private static string VoterPath(string nodeId) => $"/api/cluster/voters/{Uri.EscapeDataString(nodeId)}";

    private async Task<T> GetJsonAsync<T>(string path, CancellationToken ct) => await SendJsonAsync<T>(HttpMethod.Get, path, null, ct);

    private async Task<T> SendJsonAsync<T>(HttpMethod method, string path, Func<HttpContent>? content, CancellationToken ct, string? idempotencyKey = null)
    {
        using var response = await SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(method, path) { Content = content?.Invoke() };
                if (idempotencyKey is not null)
                {
                    request.Headers.Add("Idempotency-Key", idempotencyKey);
                }

                return request;
            },
            ct);
        await EnsureSuccessAsync(response, $"{method} {path}", ct);
        try
        {
            return (await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, ct))!;
        }
        catch (JsonException e)
        {
            throw new NodeApiException(Node, $"{method} {path}", (int)response.StatusCode, new Problem(null, "Unreadable answer", (int)response.StatusCode, e.Message));
        }
    }

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, CancellationToken ct, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(RequestTimeout);
        using var request = build();
        try
        {
            return await _http.SendAsync(request, completion, timeout.Token);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new NodeUnreachableException(Node, $"no answer within {RequestTimeout.TotalSeconds:0.#} s", e);
        }
        catch (HttpRequestException e)
        {
            throw new NodeUnreachableException(Node, Reason(e), e);
        }
    }

    private string Reason(HttpRequestException e) => e.InnerException switch
    {
        AuthenticationException tls when _trustsPrivateCa => $"TLS handshake failed: {tls.Message}",
        AuthenticationException tls => $"TLS handshake failed: {tls.Message} (for a certificate from a private CA give --ca-cert FILE or set {CommonOptions.CaCertVariable})",
        SocketException socket => socket.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused (is a node running there?)",
            SocketError.HostNotFound or SocketError.NoData => "host not found",
            SocketError.TimedOut => "connection timed out",
            _ => socket.Message,
        },
        { } inner => inner.Message,
        null => e.Message,
    };

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string request, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        Problem? problem = null;
        try
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            problem = body.StartsWith('{') ? JsonSerializer.Deserialize<Problem>(body, ApiJson.Options) : new Problem(null, response.ReasonPhrase, (int)response.StatusCode, body.Length == 0 ? null : body);
        }
        catch (JsonException)
        {
        }

        throw new NodeApiException(Node, request, (int)response.StatusCode, problem ?? new Problem(null, response.ReasonPhrase, (int)response.StatusCode, null));
    }
}
