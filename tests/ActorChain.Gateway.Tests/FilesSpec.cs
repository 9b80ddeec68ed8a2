using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ActorChain.Tests.Harness;

namespace ActorChain.Gateway.Tests;

/// <summary>Uploads, downloads and deletes against a real three-node cluster.</summary>
public sealed class FilesSpec(GatewayCluster cluster) : IClassFixture<GatewayCluster>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Upload_OnOneNode_IsServedAndFoundOnAnother()
    {
        var bytes = Api.RandomBytes(50_000, seed: 1);
        var file = await Api.UploadAsync(cluster["n1"], bytes, "holiday.png", tags: "served-elsewhere,beach");
        var id = Api.Sha256Hex(bytes);
        Assert.Equal(id, file.GetProperty("fileId").GetString());
        Assert.Equal(id, file.GetProperty("sha256").GetString());
        Assert.Equal(bytes.Length, file.GetProperty("size").GetInt64());
        Assert.Equal("holiday.png", file.GetProperty("fileName").GetString());
        Assert.Equal("image/png", file.GetProperty("contentType").GetString());
        Assert.Equal(["beach", "served-elsewhere"], file.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.False(file.TryGetProperty("media", out _), "random bytes carry no metadata, and their unreadable 'PNG' must not fail the upload");

        var n3 = cluster["n3"];
        await Eventually.UntilAsync(async () => (await n3.GetAsync($"/api/files/{id}")).IsSuccessStatusCode, Wait, "n3 never knew the file n1 stored");
        Assert.Equal(bytes, await n3.GetByteArrayAsync($"/api/files/{id}/content"));
        var found = await n3.GetFromJsonAsync<JsonElement>("/api/search?tag=served-elsewhere");
        Assert.Equal([id], Api.Ids(found));
        Assert.Equal(1, found.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Upload_JpegWithExif_RecordsDateCameraAndPlace_Searchable()
    {
        var jpeg = ExifJpeg.Create("Canon", "EOS R6", "2019:05:04 12:00:00", 48.85, 2.35, 320, 200);
        using var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(jpeg);
        part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(part, "file", "paris.jpg");
        form.Add(new StringContent("exif-spec"), "tags");
        using var response = await cluster["n2"].PostAsync("/api/files", form);
        var file = await Api.ExpectAsync(response, HttpStatusCode.Created);
        var media = file.GetProperty("media");
        Assert.Equal("2019-05-04T12:00:00Z", media.GetProperty("takenAt").GetString());
        Assert.Equal("Canon", media.GetProperty("cameraMake").GetString());
        Assert.Equal("EOS R6", media.GetProperty("cameraModel").GetString());
        Assert.Equal(48.85, media.GetProperty("latitude").GetDouble(), 3);
        Assert.Equal(2.35, media.GetProperty("longitude").GetDouble(), 3);
        Assert.Equal(320, media.GetProperty("width").GetInt32());
        Assert.Equal(200, media.GetProperty("height").GetInt32());
        Assert.Equal(["exif-spec"], file.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        var id = Api.Sha256Hex(jpeg);
        var n1 = cluster["n1"];
        await Eventually.UntilAsync(async () => (await n1.GetAsync($"/api/files/{id}")).IsSuccessStatusCode, Wait, "n1 never knew the JPEG");
        foreach (var hit in new[] { "near=48.86,2.34,5", "bbox=48,2,49,3", "from=2019-05-04&to=2019-05-04", "from=2019-05-04T11:59:00Z", "name=PAR" })
        {
            Assert.Contains(id, Api.Ids(await n1.GetFromJsonAsync<JsonElement>($"/api/search?tag=exif-spec&{hit}")));
        }

        foreach (var miss in new[] { "near=40.0,2.35,5", "bbox=-10,2,0,3", "to=2019-05-03", "from=2019-05-05", "name=london" })
        {
            Assert.Empty(Api.Ids(await n1.GetFromJsonAsync<JsonElement>($"/api/search?tag=exif-spec&{miss}")));
        }
    }

    [Fact]
    public async Task Content_HonoursRangesETagsAndRefusesBadRanges()
    {
        var bytes = Api.RandomBytes(10_000, seed: 2);
        await Api.UploadAsync(cluster["n1"], bytes, "range.gif", "image/gif");
        var id = Api.Sha256Hex(bytes);
        var http = cluster["n1"];

        using var whole = await http.GetAsync($"/api/files/{id}/content");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal($"\"{id}\"", whole.Headers.ETag?.Tag);
        Assert.Equal("image/gif", whole.Content.Headers.ContentType?.MediaType);
        Assert.Contains("bytes", whole.Headers.AcceptRanges);

        foreach (var (range, from, length) in new[] { ("bytes=100-199", 100, 100), ("bytes=9990-", 9990, 10), ("bytes=-3", 9997, 3) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/files/{id}/content");
            request.Headers.TryAddWithoutValidation("Range", range);
            using var partial = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
            Assert.Equal(bytes.AsSpan(from, length).ToArray(), await partial.Content.ReadAsByteArrayAsync());
            Assert.Equal($"bytes {from}-{from + length - 1}/{bytes.Length}", partial.Content.Headers.ContentRange?.ToString());
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/files/{id}/content"))
        {
            request.Headers.TryAddWithoutValidation("Range", "bytes=10000-");
            using var refused = await http.SendAsync(request);
            await Api.ExpectProblemAsync(refused, HttpStatusCode.RequestedRangeNotSatisfiable, "10000 bytes");
            Assert.Equal($"bytes */{bytes.Length}", refused.Content.Headers.ContentRange?.ToString());
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/files/{id}/content"))
        {
            request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{id}\""));
            using var notModified = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task Upload_SameBytesConcurrently_CommitsOneFileAdd()
    {
        var bytes = Api.RandomBytes(30_000, seed: 3);
        var id = Api.Sha256Hex(bytes);
        var n1 = cluster["n1"];
        var before = (await ChainHttp.EntriesAsync(n1)).Count(e => e.Kind == "file.add");

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => n1.SendAsync(Api.RawUpload(bytes, $"copy-{i}.png"))));
        var statuses = responses.Select(r => r.StatusCode).ToList();
        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.OK));
        var entryIds = new HashSet<string>();
        foreach (var response in responses)
        {
            entryIds.Add((await Api.ExpectAsync(response, response.StatusCode)).GetProperty("entryId").GetString()!);
            response.Dispose();
        }

        Assert.Single(entryIds);

        // Later, on another node, the same bytes are the same file: 200 and nothing committed.
        var n2 = cluster["n2"];
        await Eventually.UntilAsync(async () => (await n2.GetAsync($"/api/files/{id}")).IsSuccessStatusCode, Wait, "n2 never knew the file");
        var again = await Api.UploadAsync(n2, bytes, "again.png", expected: HttpStatusCode.OK);
        Assert.Equal(entryIds.Single(), again.GetProperty("entryId").GetString());
        Assert.Equal("copy-", again.GetProperty("fileName").GetString()![..5]);

        var after = (await ChainHttp.EntriesAsync(n1)).Count(e => e.Kind == "file.add");
        Assert.Equal(before + 1, after);
        Assert.Single(cluster.StoredBlobs(), blob => blob == id);
    }

    [Fact]
    public async Task Delete_RemovesTheFileEverywhereAndItsBytes()
    {
        var bytes = Api.RandomBytes(2_000, seed: 4);
        var id = Api.Sha256Hex(bytes);
        await Api.UploadAsync(cluster["n1"], bytes, "gone.webp", "image/webp", tags: "delete-spec");
        var n2 = cluster["n2"];
        await Eventually.UntilAsync(async () => (await n2.GetAsync($"/api/files/{id}")).IsSuccessStatusCode, Wait, "n2 never knew the file");

        using var deleted = await n2.DeleteAsync($"/api/files/{id}");
        var body = await Api.ExpectAsync(deleted, HttpStatusCode.OK);
        Assert.Equal(id, body.GetProperty("fileId").GetString());
        Assert.True(body.GetProperty("height").GetInt64() > 0);

        var n3 = cluster["n3"];
        await Eventually.UntilAsync(async () => (await n3.GetAsync($"/api/files/{id}")).StatusCode == HttpStatusCode.NotFound, Wait, "n3 still shows the deleted file");
        await Api.ExpectProblemAsync(await n3.GetAsync($"/api/files/{id}/content"), HttpStatusCode.NotFound, id);
        Assert.Empty(Api.Ids(await n3.GetFromJsonAsync<JsonElement>("/api/search?tag=delete-spec")));
        await Api.ExpectProblemAsync(await n2.DeleteAsync($"/api/files/{id}"), HttpStatusCode.NotFound, id);
        await Eventually.Until(() => !cluster.StoredBlobs().Contains(id), Wait, "the deleted file's blob stayed in the store");
    }

    [Fact]
    public async Task Upload_FailingAfterItsBytesWereStored_LeavesNoBlob()
    {
        var bytes = Api.RandomBytes(3_000, seed: 5);
        var id = Api.Sha256Hex(bytes);
        var head = await cluster.HeadAsync("n1");
        using var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(bytes);
        part.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(part, "file", "late-bad-tags.png");
        form.Add(new StringContent(new string('t', 100)), "tags");

        await Api.ExpectProblemAsync(await cluster["n1"].PostAsync("/api/files", form), HttpStatusCode.BadRequest, "tag");

        await Eventually.Until(() => !cluster.StoredBlobs().Contains(id), Wait, "the refused upload's blob stayed in the store");
        Assert.Equal(head, await cluster.HeadAsync("n1"));
    }

    [Fact]
    public async Task Upload_LargerThanTheLimit_Is413AndStoresNothing()
    {
        var http = cluster["n1"];
        var head = await cluster.HeadAsync("n1");
        var blobs = cluster.StoredBlobs().Length;
        var big = Api.RandomBytes(GatewayCluster.MaxFileSize + 1, seed: 6);

        await Api.ExpectProblemAsync(await http.SendAsync(Api.RawUpload(big, "big.png")), HttpStatusCode.RequestEntityTooLarge, "max-file-size");

        // Without a Content-Length the limit stops the upload while it streams.
        var chunked = Api.RawUpload([], "big.png");
        chunked.Content = new StreamContent(new MemoryStream(big));
        chunked.Content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        chunked.Headers.TransferEncodingChunked = true;
        await Api.ExpectProblemAsync(await http.SendAsync(chunked), HttpStatusCode.RequestEntityTooLarge, "max-file-size");

        Assert.Equal(blobs, cluster.StoredBlobs().Length);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(cluster.FilesDirectory, "tmp")));
        Assert.Equal(head, await cluster.HeadAsync("n1"));
    }

    [Fact]
    public async Task Upload_CancelledWhileStreaming_LeavesNothing()
    {
        var head = await cluster.HeadAsync("n1");
        var blobs = cluster.StoredBlobs().Length;
        var temp = Path.Combine(cluster.FilesDirectory, "tmp");
        using var cancel = new CancellationTokenSource();
        var request = Api.RawUpload([], "cancelled.png");
        request.Content = new StreamContent(new StallingStream(16 * 1024));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        request.Headers.TransferEncodingChunked = true;
        var upload = cluster["n1"].SendAsync(request, cancel.Token);

        await Eventually.Until(() => Directory.EnumerateFiles(temp).Any(), Wait, "the upload never started writing to the store");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upload);

        await Eventually.Until(() => !Directory.EnumerateFiles(temp).Any(), Wait, "the cancelled upload's temporary file stayed");
        Assert.Equal(blobs, cluster.StoredBlobs().Length);
        Assert.Equal(head, await cluster.HeadAsync("n1"));
    }

    /// <summary>Gives some bytes, then waits (for the request's cancellation) without ending.</summary>
    private sealed class StallingStream(int bytesBeforeStall) : Stream
    {
        private readonly TaskCompletionSource _never = new();
        private int _left = bytesBeforeStall;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_left == 0)
            {
                await _never.Task.WaitAsync(cancellationToken);
            }

            var n = Math.Min(_left, buffer.Length);
            buffer.Span[..n].Fill(0x42);
            _left -= n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
