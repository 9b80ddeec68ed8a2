using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ActorChain.Node.Configuration;
using Microsoft.Extensions.Logging;

namespace ActorChain.Node.Tests;

/// <summary>GET /api/chain/verify on a single-voter node with its own data directory, restarted over a tampered journal.</summary>
[Collection(ProcessEnvironment.Name)]
public sealed class ChainVerifyRouteTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actorchain-node-verify-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Verify_OfAnUntouchedChain_IsValid_AtTheHead_WithOnlyTheDocumentedFields()
    {
        await using var node = await StartAsync();
        using var http = new HttpClient { BaseAddress = node.HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
        var head = await PutSomeAsync(http, 4);

        var response = await http.GetAsync("/api/chain/verify");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("valid").GetBoolean());
        Assert.Equal(head, body.GetProperty("height").GetInt64());
        Assert.Equal(["height", "valid"], body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Verify_AfterAByteOfTheJournalFlipped_IsInvalid_FromTheTamperedBlock()
    {
        long head;
        await using (var node = await StartAsync())
        {
            using var http = new HttpClient { BaseAddress = node.HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
            head = await PutSomeAsync(http, 4);
        }

        var tampered = FlipAByteInTheMiddleOfTheJournal();
        Assert.InRange(tampered, 1, head - 1);

        await using (var node = await StartAsync())
        {
            using var http = new HttpClient { BaseAddress = node.HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
            var response = await http.GetAsync("/api/chain/verify");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.False(body.GetProperty("valid").GetBoolean());
            Assert.Equal(tampered, body.GetProperty("firstInvalidHeight").GetInt64());
            Assert.Equal(tampered - 1, body.GetProperty("height").GetInt64());
            Assert.Contains(tampered.ToString(System.Globalization.CultureInfo.InvariantCulture), body.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }
    }

    private static async Task<long> PutSomeAsync(HttpClient http, int count)
    {
        var height = -1L;
        for (var i = 0; i < count; i++)
        {
            var put = await http.PutAsync($"/api/kv/verify-{i}", new ByteArrayContent([(byte)i, 1, 2, 3]));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            height = (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("height").GetInt64();
        }

        var chainHead = await http.GetFromJsonAsync<JsonElement>("/api/chain/head");
        Assert.Equal(height, chainHead.GetProperty("height").GetInt64());
        return height;
    }

    // Records are [u32 length][u32 CRC-32C][block bytes]; a block's bytes start with its version byte and its i64 height.
    // Flips a payload byte of the middle record, so its checksum fails, and returns that block's height.
    private long FlipAByteInTheMiddleOfTheJournal()
    {
        var segment = Assert.Single(Directory.GetFiles(Path.Combine(_directory, "journal"), "*.seg"));
        var bytes = File.ReadAllBytes(segment);
        var records = new List<(int Offset, int Length)>();
        for (var offset = 0; offset + 8 <= bytes.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset));
            if (length == 0)
            {
                break; // the zeros an open segment grows by
            }

            records.Add((offset + 8, length));
            offset += 8 + length;
        }

        var (payload, size) = records[records.Count / 2];
        var height = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(payload + 1));
        bytes[payload + (size / 2)] ^= 0x5A;
        File.WriteAllBytes(segment, bytes);
        return height;
    }

    private Task<ActorChainNode> StartAsync()
    {
        var settings = NodeSettings.Load(
            new NodeCommandLine(
                Path.Combine(AppContext.BaseDirectory, "hocon", "reference.conf"),
                new Dictionary<string, string?>
                {
                    ["actorchain:node:id"] = "verifier",
                    ["actorchain:node:port"] = "0",
                    ["actorchain:node:httpport"] = "0",
                    ["actorchain:node:data"] = _directory,
                    ["actorchain:cluster:sharedsecret"] = "verify-test-shared-secret",
                },
                Seeds: null,
                ShowHelp: false),
            AppContext.BaseDirectory);
        return ActorChainNode.StartAsync(settings, new NodeStartOptions { ConfigureLogging = logging => logging.SetMinimumLevel(LogLevel.Warning) });
    }
}
