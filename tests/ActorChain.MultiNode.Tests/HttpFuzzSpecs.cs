using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ActorChain.Node.Chain;
using ActorChain.Node.Configuration;
using ActorChain.Remote;
using ActorChain.Remote.Serialization;
using ActorChain.Tests.Fuzz;
using ActorChain.Tests.Harness;
using Xunit.Abstractions;

namespace ActorChain.MultiNode.Tests;

/// <summary>
/// Malformed HTTP against a real node: every answer is a 4xx (never a 5xx), and afterwards the node
/// is still ready and still commits writes.
/// </summary>
public sealed class HttpFuzzSpecs(ITestOutputHelper output) : IAsyncLifetime
{
    private const int RandomRequests = 300;
    private static readonly TimeSpan RawAnswerWait = TimeSpan.FromSeconds(10);
    private readonly MultiNodeCluster _cluster = new(output);
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        await _cluster.StartAsync(1, seedCount: 1, _ => new Dictionary<string, string?>
        {
            ["actorchain:gateway:maxvaluesize"] = "1KiB",
            ["actorchain:admin:faultinjection"] = "on",
        });
        _http = new HttpClient { BaseAddress = _cluster["n1"].HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
        await ChainHttp.PutAsync(_http, "warm-up", "committed before the fuzzing");
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task MalformedRequests_AllGet4xx_AndTheNodeStaysHealthy()
    {
        var answers = new List<string>();
        foreach (var (what, request) in MalformedRequests())
        {
            using (request)
            {
                using var response = await _http.SendAsync(request);
                answers.Add($"{(int)response.StatusCode} {what}");
                Assert.True(
                    (int)response.StatusCode is >= 400 and < 500,
                    $"{what}: answered {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }

        output.WriteLine(string.Join("\n", answers));
        await AssertHealthyAsync("after the malformed requests");
    }

    [Fact]
    public async Task RawMalformedHttp_OverTcp_GetsA4xxOrAClose_AndTheNodeStaysHealthy()
    {
        var random = new Random(FuzzEngine.Seed);
        var cases = RawRequests(random).ToList();
        foreach (var (what, bytes) in cases)
        {
            var status = await SendRawAsync(bytes);
            output.WriteLine($"{status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "closed"} {what}");
            Assert.True(status is null or (>= 400 and < 500) || (status == 505 && !HasHttp1Version(bytes)), $"{what}: answered {status}");
        }

        await AssertHealthyAsync("after raw malformed HTTP");
    }

    [Fact]
    public async Task RandomGarbageRequests_NeverGet5xx_AndTheNodeStaysHealthy()
    {
        var random = new Random(FuzzEngine.Seed + 1);
        var statuses = new Dictionary<int, int>();
        for (var i = 0; i < Math.Min(FuzzEngine.Cases(RandomRequests), 3000); i++)
        {
            var (what, request) = RandomRequest(random, i);
            using (request)
            {
                using var response = await _http.SendAsync(request);
                var status = (int)response.StatusCode;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                Assert.True(status < 500, $"case {i}: {what}: answered {status} {await response.Content.ReadAsStringAsync()}");
            }
        }

        output.WriteLine(string.Join(", ", statuses.OrderBy(static s => s.Key).Select(static s => $"{s.Key}: {s.Value}")));
        Assert.True(statuses.Keys.Any(static s => s >= 400), "no garbage request was refused: the generator reaches nothing");
        await AssertHealthyAsync("after random garbage requests");
    }

    [Theory]
    [InlineData("PUT /api/kv/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n")]
    [InlineData("PUT /api/admin/faults/n9 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1x\r\n{\r\n0\r\n\r\n")]
    public async Task MalformedChunkedBody_ReadByAnEndpoint_IsA400_NotA500(string request)
    {
        // Regression: Kestrel's BadHttpRequestException from the body read reached the exception handler as a 500.
        var status = await SendRawAsync(Encoding.ASCII.GetBytes(request), halfClose: false);

        Assert.Equal(400, status);
        await AssertHealthyAsync("after a malformed chunked body");
    }

    private async Task AssertHealthyAsync(string when)
    {
        using var ready = await _http.GetAsync("/health/ready");
        Assert.True(ready.StatusCode == HttpStatusCode.OK, $"{when}: /health/ready is {(int)ready.StatusCode}");
        var written = await ChainHttp.PutAsync(_http, "still-alive", when);
        Assert.Equal(when, await ChainHttp.GetAsync(_http, "still-alive"));
        Assert.True(written.Height > 0);
    }

    private static IEnumerable<(string What, HttpRequestMessage Request)> MalformedRequests()
    {
        static HttpRequestMessage Make(string method, string path, byte[]? body = null, string? contentType = null)
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                if (contentType is not null)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                }
            }

            return request;
        }

        byte[] invalidUtf8 = [0x7B, 0x22, 0x66, 0xC3, 0x28, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D];
        yield return ("PUT with a key over 1024 bytes", Make("PUT", "/api/kv/" + new string('k', 1500), [1]));
        yield return ("PUT with a value over max-value-size", Make("PUT", "/api/kv/big", new byte[4096]));
        yield return ("GET with a key of invalid percent-encoded UTF-8", Make("GET", "/api/kv/%C3%28%FF"));
        yield return ("GET an absent key", Make("GET", "/api/kv/" + Uri.EscapeDataString("absent ключ 😀")));
        yield return ("GET with an unknown consistency", Make("GET", "/api/kv/warm-up?consistency=eventual%00"));
        yield return ("DELETE with a key over 1024 bytes", Make("DELETE", "/api/kv/" + new string('d', 2000)));
        yield return ("GET a block at a height that is not a number", Make("GET", "/api/chain/blocks/abc"));
        yield return ("GET a block at a negative height", Make("GET", "/api/chain/blocks/-1"));
        yield return ("GET a block at a height beyond long", Make("GET", "/api/chain/blocks/99999999999999999999999"));
        yield return ("GET a block far beyond the head", Make("GET", "/api/chain/blocks/9223372036854775807"));
        yield return ("GET blocks with non-numeric from", Make("GET", "/api/chain/blocks?from=abc&count=2"));
        yield return ("GET blocks with a negative count", Make("GET", "/api/chain/blocks?from=0&count=-5"));
        yield return ("GET blocks with a huge count", Make("GET", "/api/chain/blocks?from=0&count=2147483648"));
        yield return ("GET blocks with repeated parameters", Make("GET", "/api/chain/blocks?from=0&from=1&count=1&count=2"));
        yield return ("PATCH a key", Make("PATCH", "/api/kv/warm-up", [1]));
        yield return ("an invented method", Make("FROBNICATE", "/api/kv/warm-up"));
        yield return ("POST to the head", Make("POST", "/api/chain/head", [1]));
        yield return ("PUT the members list", Make("PUT", "/api/cluster/members", [1]));
        yield return ("down an unknown node with a garbage id", Make("POST", "/api/cluster/down/%00%FF..%2F..%2Fetc"));
        yield return ("down an id over 1024 bytes", Make("POST", "/api/cluster/down/" + new string('x', 1100)));
        yield return ("a fault request that is not JSON", Make("PUT", "/api/admin/faults/n9", "{not json"u8.ToArray(), "application/json"));
        yield return ("a fault request of invalid UTF-8", Make("PUT", "/api/admin/faults/n9", invalidUtf8, "application/json"));
        yield return ("a fault request truncated mid-string", Make("PUT", "/api/admin/faults/n9", "{\"fault\":\"blackh"u8.ToArray(), "application/json"));
        yield return ("a fault request with wrong types", Make("PUT", "/api/admin/faults/n9", "{\"fault\":12,\"probability\":\"x\"}"u8.ToArray(), "application/json"));
        yield return ("a fault request of an unknown fault", Make("PUT", "/api/admin/faults/n9", "{\"fault\":\"explode\"}"u8.ToArray(), "application/json"));
        yield return ("a fault request nested 5000 deep", Make("PUT", "/api/admin/faults/n9", Encoding.ASCII.GetBytes(new string('[', 3000)), "application/json"));
        yield return ("a fault request over its size limit", Make("PUT", "/api/admin/faults/n9", new byte[8192], "application/json"));
        yield return ("a fault on this node itself", Make("PUT", "/api/admin/faults/n1", "{\"fault\":\"blackhole\"}"u8.ToArray(), "application/json"));
        yield return ("a garbage path", Make("GET", "/%2e%2e/%2e%2e/etc/passwd"));
        yield return ("an unknown API path", Make("GET", "/api/nothing/here?x=%zz"));
        yield return ("a query string of invalid escapes", Make("GET", "/api/kv/warm-up?consistency=%%%zz&&&=="));
        yield return ("a path of 8 KiB", Make("GET", "/api/kv/" + new string('p', 8192)));
        var hugeHeader = Make("GET", "/api/chain/head");
        hugeHeader.Headers.TryAddWithoutValidation("X-Huge", new string('h', 64 * 1024));
        yield return ("a 64 KiB header", hugeHeader);
        var manyHeaders = Make("GET", "/api/chain/head");
        for (var i = 0; i < 200; i++)
        {
            manyHeaders.Headers.TryAddWithoutValidation($"X-Many-{i}", new string('m', 512));
        }

        yield return ("200 headers of 512 bytes", manyHeaders);
        var badIdempotency = Make("PUT", "/api/kv/idem", [1]);
        badIdempotency.Headers.TryAddWithoutValidation("Idempotency-Key", new string('i', 400));
        yield return ("an idempotency key over 256 bytes", badIdempotency);
    }

    // Kestrel answers a request line whose version is not HTTP/1.x with 505 before any of the node's code
    // runs, as RFC 9110 §15.6.6 says; that is the one 5xx a malformed request may get.
    private static bool HasHttp1Version(byte[] request)
    {
        var line = Encoding.Latin1.GetString(request).Split("\r\n", 2)[0];
        return line.EndsWith(" HTTP/1.1", StringComparison.Ordinal) || line.EndsWith(" HTTP/1.0", StringComparison.Ordinal);
    }

    private static IEnumerable<(string What, byte[] Bytes)> RawRequests(Random random)
    {
        static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal));

        yield return ("a request line of garbage", Ascii("GARBAGE\n\n"));
        yield return ("a request line without a version", Ascii("GET /health/live\n\n"));
        yield return ("a header without a colon", Ascii("GET /health/live HTTP/1.1\nHost: x\nNoColonHere\n\n"));
        yield return ("a header name with a space", Ascii("GET /health/live HTTP/1.1\nHost: x\nBad Name: y\n\n"));
        yield return ("two Content-Length headers that disagree", Ascii("PUT /api/kv/a HTTP/1.1\nHost: x\nContent-Length: 3\nContent-Length: 5\n\nabc"));
        yield return ("a negative Content-Length", Ascii("PUT /api/kv/a HTTP/1.1\nHost: x\nContent-Length: -1\n\n"));
        yield return ("a Content-Length beyond long", Ascii("PUT /api/kv/a HTTP/1.1\nHost: x\nContent-Length: 99999999999999999999999\n\n"));
        yield return ("a body shorter than its Content-Length, then close", Ascii("PUT /api/kv/truncated HTTP/1.1\nHost: x\nContent-Length: 100\n\nonly-ten-b"));
        yield return ("a chunk size that is not hex", Ascii("PUT /api/kv/a HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\nzz\nabc\n0\n\n"));
        yield return ("a chunked body cut off mid-chunk", Ascii("PUT /api/kv/a HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\nff\nabc"));
        yield return ("both chunked and Content-Length", Ascii("PUT /api/kv/a HTTP/1.1\nHost: x\nContent-Length: 3\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\n"));
        yield return ("a request target with raw control bytes", [.. Ascii("GET /api/kv/"), 0x00, 0x01, 0x7F, .. Ascii(" HTTP/1.1\nHost: x\n\n")]);
        yield return ("a request target of raw invalid UTF-8", [.. Ascii("GET /api/kv/"), 0xC3, 0x28, 0xFF, .. Ascii(" HTTP/1.1\nHost: x\n\n")]);
        yield return ("no Host header", Ascii("GET /health/live HTTP/1.1\n\n"));
        yield return ("a request line of 64 KiB", Ascii($"GET /{new string('a', 64 * 1024)} HTTP/1.1\nHost: x\n\n"));
        for (var i = 0; i < 20; i++)
        {
            var noise = new byte[1 + random.Next(2048)];
            random.NextBytes(noise);
            yield return ($"{noise.Length} random bytes (#{i})", noise);
        }

        for (var i = 0; i < 10; i++)
        {
            var valid = Ascii("PUT /api/kv/k HTTP/1.1\nHost: x\nContent-Length: 3\n\nabc");
            var bytes = FuzzEngine.Generate(random, [valid]);
            yield return ($"a mutated PUT (#{i}): {Convert.ToHexStringLower(bytes)}", bytes);
        }
    }

    private static (string What, HttpRequestMessage Request) RandomRequest(Random random, int index)
    {
        string[] methods = ["GET", "PUT", "DELETE", "POST", "PATCH", "HEAD", "OPTIONS", "X-JUNK"];
        string[] prefixes = ["/api/kv/", "/api/chain/blocks/", "/api/chain/blocks", "/api/cluster/down/", "/api/admin/faults/", "/api/", "/", "/api/chain/head/"];
        string[] junk = ["%00", "%ff", "%zz", "..", "%2e%2e%2f", "😀", "ключ", "'\"<>", "\\", "~", "-1", "9999999999999999999999", "NaN", "&", "=", "?", ";"];
        var method = methods[random.Next(methods.Length)];
        if (method is "POST" && random.Next(4) != 0)
        {
            method = "PATCH";
        }

        var path = new StringBuilder(prefixes[random.Next(prefixes.Length)]);
        for (var i = random.Next(4); i > 0; i--)
        {
            path.Append(random.Next(3) == 0 ? junk[random.Next(junk.Length)] : Uri.EscapeDataString(RandomText(random, random.Next(1, 40))));
        }

        if (random.Next(2) == 0)
        {
            path.Append('?');
            for (var i = random.Next(1, 4); i > 0; i--)
            {
                path.Append(random.Next(2) == 0 ? "from" : junk[random.Next(junk.Length)]).Append('=').Append(junk[random.Next(junk.Length)]).Append('&');
            }
        }

        var request = new HttpRequestMessage(new HttpMethod(method), path.ToString());
        if (method is not ("GET" or "HEAD" or "OPTIONS"))
        {
            var body = new byte[random.Next(random.Next(2) == 0 ? 64 : 4096)];
            random.NextBytes(body);
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", random.Next(2) == 0 ? "application/json" : "application/octet-stream");
        }

        if (random.Next(4) == 0)
        {
            // Header values on the wire are ASCII; HttpClient refuses to send anything else.
            request.Headers.TryAddWithoutValidation("Idempotency-Key", new string([.. RandomText(random, random.Next(0, 600)).Where(char.IsAscii)]));
        }

        return ($"{method} {path}", request);
    }

    private static string RandomText(Random random, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = random.Next(8) == 0 ? (char)random.Next(0x80, 0x2FFF) : (char)random.Next(0x21, 0x7F);
        }

        return new string(chars);
    }

    /// <summary>Writes the bytes, half-closes unless told not to, and returns the status of the first answer, or null if the node only closed the connection.</summary>
    private async Task<int?> SendRawAsync(byte[] bytes, bool halfClose = true)
    {
        var address = _cluster["n1"].HttpAddress;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, address.Port);
        try
        {
            await socket.SendAsync(bytes);
            if (halfClose)
            {
                socket.Shutdown(SocketShutdown.Send);
            }
        }
        catch (SocketException)
        {
            // The node may refuse and close before it has read everything; its answer, if any, is still readable.
        }

        var received = new List<byte>();
        var buffer = new byte[4096];
        using var wait = new CancellationTokenSource(RawAnswerWait);
        try
        {
            while (received.Count < 64 * 1024)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, wait.Token);
                if (read == 0)
                {
                    break;
                }

                received.AddRange(buffer.AsSpan(0, read));
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            Assert.False(wait.IsCancellationRequested && received.Count == 0, $"the node neither answered nor closed within {RawAnswerWait}");
        }

        var text = Encoding.ASCII.GetString([.. received]);
        return text.StartsWith("HTTP/1.", StringComparison.Ordinal) && text.Length >= 12
            ? int.Parse(text.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture)
            : null;
    }
}

/// <summary>The node's head gossip (remoting type 900, JSON) under the shared fuzz engine.</summary>
public sealed class HeadGossipFuzzSpecs(ITestOutputHelper output)
{
    [Fact]
    public async Task HeadGossipDecoder_OnMutatedInput_OnlyRefusesWithRemoteFormatException()
    {
        var registry = new SerializerRegistry();
        HeadGossip.Register(registry);
        var seeds = new[] { new NodeHead("n1", 42, new string('a', 64)), new NodeHead("ünïcode-node", -1, string.Empty) }
            .Select(head => registry.ToEnvelope("/user/node-heads", string.Empty, head))
            .ToList();
        var target = new FuzzTarget(
            $"head gossip (type {HeadGossip.NodeHeadTypeId})",
            [.. seeds.Select(static e => e.Payload.ToArray())],
            input => registry.FromEnvelope(seeds[0] with { Payload = input.ToArray() }),
            static ex => ex is RemoteFormatException && ex.InnerException is null or System.Text.Json.JsonException);

        var report = await FuzzEngine.RunAsync([target], FuzzEngine.Cases(3000));

        output.WriteLine(report.ToString());
        Assert.True(report.Rejected > 0, "no mutated input was refused: the mutations reach nothing");
    }
}

/// <summary>actorchain.gateway.https: the HTTP port serves TLS with the configured certificate.</summary>
public sealed class GatewayHttpsSpecs(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly MultiNodeCluster _cluster = new(output);
    private readonly string _directory = Directory.CreateTempSubdirectory("actorchain-https-").FullName;
    private X509Certificate2 _certificate = null!;

    public async Task InitializeAsync()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        File.WriteAllText(Path.Combine(_directory, "gateway.crt.pem"), _certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_directory, "gateway.key.pem"), key.ExportPkcs8PrivateKeyPem());
        await _cluster.StartAsync(1, seedCount: 1, _ => new Dictionary<string, string?>
        {
            ["actorchain:gateway:https:certificate"] = Path.Combine(_directory, "gateway.crt.pem"),
            ["actorchain:gateway:https:privatekey"] = Path.Combine(_directory, "gateway.key.pem"),
        });
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _certificate.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Gateway_WithHttpsCertificate_ServesHttps_ToAClientTrustingIt()
    {
        var port = _cluster["n1"].HttpAddress.Port;
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    CustomTrustStore = { _certificate },
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            },
        };
        using var https = new HttpClient(handler) { BaseAddress = new Uri($"https://localhost:{port}") };

        using var ready = await https.GetAsync("/health/ready");
        var written = await ChainHttp.PutAsync(https, "over-tls", "secret value");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.True(written.Height > 0);
        Assert.Equal("secret value", await ChainHttp.GetAsync(https, "over-tls"));
    }

    [Fact]
    public async Task Gateway_WithHttpsCertificate_RefusesPlainHttp()
    {
        var port = _cluster["n1"].HttpAddress.Port;
        using var plain = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };

        var answered = false;
        try
        {
            using var response = await plain.GetAsync("/health/ready");
            answered = response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
        }

        Assert.False(answered, "a plain-HTTP request to the HTTPS port succeeded");
    }

    [Fact]
    public void HttpsCertificate_ThatDoesNotExist_FailsSettingsValidation_NamingTheFile()
    {
        var missing = Path.Combine(_directory, "missing.pem");
        var spec = _cluster.Define("bad-https", [], new Dictionary<string, string?> { ["actorchain:gateway:https:certificate"] = missing });

        var error = Assert.Throws<NodeConfigurationException>(spec.Load);

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("actorchain.gateway.https.certificate", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>actorchain.remote.tls through the node's own settings: a three-node cluster over mutual TLS commits writes.</summary>
public sealed class RemoteTlsClusterSpecs(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly MultiNodeCluster _cluster = new(output);
    private readonly string _directory = Directory.CreateTempSubdirectory("actorchain-mtls-").FullName;

    public async Task InitializeAsync()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=actorchain-test-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(Path.Combine(_directory, "ca.pem"), ca.ExportCertificatePem());
        for (var i = 1; i <= 3; i++)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN=n{i}", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
            using var certificate = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7), [(byte)i, 1, 2, 3]);
            File.WriteAllText(Path.Combine(_directory, $"n{i}.crt.pem"), certificate.ExportCertificatePem());
            File.WriteAllText(Path.Combine(_directory, $"n{i}.key.pem"), key.ExportPkcs8PrivateKeyPem());
        }

        await _cluster.StartAsync(3, seedCount: 2, name => Tls(name));
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Cluster_OverMutualTls_FormsAndCommitsWrites()
    {
        await _cluster.AwaitMembersUpAsync(["n1", "n2", "n3"]);
        using var http = new HttpClient { BaseAddress = _cluster["n2"].HttpAddress };

        var written = await ChainHttp.PutAsync(http, "over-mtls", "v");

        Assert.True(written.Height > 0);
        Assert.All(_cluster.Running, node => Assert.Equal(0, node.Remoting.Transport.Counters.TlsRefused));
    }

    [Fact]
    public void MissingTrustedCaFile_FailsSettingsValidation_NamingTheFile()
    {
        var missing = Path.Combine(_directory, "no-such-ca.pem");
        var overrides = Tls("n1");
        overrides["actorchain:remote:tls:trustedca"] = missing;
        var spec = _cluster.Define("bad-tls", [], overrides);

        var error = Assert.Throws<NodeConfigurationException>(spec.Load);

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("actorchain.remote.tls.trusted-ca", error.Message, StringComparison.Ordinal);
    }

    private Dictionary<string, string?> Tls(string name) => new()
    {
        ["actorchain:remote:tls:enabled"] = "on",
        ["actorchain:remote:tls:certificate"] = Path.Combine(_directory, $"{name}.crt.pem"),
        ["actorchain:remote:tls:privatekey"] = Path.Combine(_directory, $"{name}.key.pem"),
        ["actorchain:remote:tls:trustedca"] = Path.Combine(_directory, "ca.pem"),
    };
}
