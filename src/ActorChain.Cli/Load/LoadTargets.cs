using System.Net.Http.Headers;
using ActorChain.Cli.Http;

namespace ActorChain.Cli.Load;

/// <summary>One system under load, reached at several endpoints; operations name the endpoint by index.</summary>
internal interface ILoadTarget : IDisposable
{
    IReadOnlyList<Uri> Endpoints { get; }

    bool SupportsFiles { get; }

    Task PutAsync(int endpoint, string key, byte[] value, CancellationToken ct);

    /// <summary>A read; an absent key is an answer, not an error.</summary>
    Task GetAsync(int endpoint, string key, CancellationToken ct);

    Task UploadAsync(int endpoint, string fileName, byte[] content, CancellationToken ct);

    Task SearchAsync(int endpoint, CancellationToken ct);

    /// <summary>What this endpoint's member has applied so far, comparable across members (equal = same state).</summary>
    Task<string> HeadAsync(int endpoint, CancellationToken ct);
}

internal sealed class ActorChainTarget : ILoadTarget
{
    private readonly NodeClient[] _clients;
    private readonly string _searchName;

    public ActorChainTarget(IReadOnlyList<Uri> endpoints, string? apiKey, TimeSpan timeout, string searchName, TrustedCa? trustedCa = null)
    {
        Endpoints = endpoints;
        _clients = [.. endpoints.Select(e => new NodeClient(e, apiKey, timeout, maxConnections: 1024, trustedCa))];
        _searchName = searchName;
    }

    public IReadOnlyList<Uri> Endpoints { get; }

    public bool SupportsFiles => true;

    public Task PutAsync(int endpoint, string key, byte[] value, CancellationToken ct) => _clients[endpoint].KvPutAsync(key, value, ct);

    public Task GetAsync(int endpoint, string key, CancellationToken ct) => _clients[endpoint].KvGetAsync(key, linearizable: false, ct);

    public Task UploadAsync(int endpoint, string fileName, byte[] content, CancellationToken ct) =>
        _clients[endpoint].UploadAsync(() => new MemoryStream(content, writable: false), fileName, "image/png", [], ct);

    public Task SearchAsync(int endpoint, CancellationToken ct) =>
        _clients[endpoint].SearchAsync(new SearchQuery { Name = _searchName, Take = 10 }, ct);

    public async Task<string> HeadAsync(int endpoint, CancellationToken ct)
    {
        var head = await _clients[endpoint].HeadAsync(ct);
        return $"{head.Height}/{head.Hash}";
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }
}

/// <summary>etcd through its JSON gateway (<see cref="EtcdKv"/>): the same key-value workload, no files or search.</summary>
internal sealed class EtcdTarget : ILoadTarget
{
    private static readonly byte[] HeadKey = "actorchain-load-head"u8.ToArray();
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient[] _clients;
    private readonly TimeSpan _timeout;

    public EtcdTarget(IReadOnlyList<Uri> endpoints, TimeSpan timeout, TrustedCa? trustedCa = null)
    {
        Endpoints = endpoints;
        _timeout = timeout;
        _clients = [.. endpoints.Select(e => new HttpClient(Handler(trustedCa)) { BaseAddress = e, Timeout = Timeout.InfiniteTimeSpan })];
    }

    public IReadOnlyList<Uri> Endpoints { get; }

    public bool SupportsFiles => false;

    public async Task PutAsync(int endpoint, string key, byte[] value, CancellationToken ct) =>
        EtcdKv.ParsePut(await PostAsync(endpoint, EtcdKv.PutPath, EtcdKv.PutBody(System.Text.Encoding.UTF8.GetBytes(key), value), ct));

    public async Task GetAsync(int endpoint, string key, CancellationToken ct) =>
        EtcdKv.ParseRange(await PostAsync(endpoint, EtcdKv.RangePath, EtcdKv.RangeBody(System.Text.Encoding.UTF8.GetBytes(key), serializable: false), ct));

    public Task UploadAsync(int endpoint, string fileName, byte[] content, CancellationToken ct) => throw new NotSupportedException("etcd stores no files.");

    public Task SearchAsync(int endpoint, CancellationToken ct) => throw new NotSupportedException("etcd has no search.");

    public async Task<string> HeadAsync(int endpoint, CancellationToken ct) =>
        EtcdKv.ParseRange(await PostAsync(endpoint, EtcdKv.RangePath, EtcdKv.RangeBody(HeadKey, serializable: true), ct)).Revision.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }

    private static SocketsHttpHandler Handler(TrustedCa? trustedCa)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1024 };
        trustedCa?.Apply(handler);
        return handler;
    }

    private async Task<byte[]> PostAsync(int endpoint, string path, byte[] body, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_timeout);
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        HttpResponseMessage response;
        try
        {
            response = await _clients[endpoint].PostAsync(path, content, timeout.Token);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new NodeUnreachableException(Endpoints[endpoint], $"no answer within {_timeout.TotalSeconds:0.#} s", e);
        }
        catch (HttpRequestException e)
        {
            throw new NodeUnreachableException(Endpoints[endpoint], e.InnerException?.Message ?? e.Message, e);
        }

        using (response)
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new NodeApiException(Endpoints[endpoint], "POST " + path, (int)response.StatusCode, new Problem(null, "etcd error", (int)response.StatusCode, EtcdKv.ParseError(bytes)));
            }

            return bytes;
        }
    }
}
