using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using ActorChain.Tests.Harness;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ActorChain.Browser.Tests;

/// <summary>Upload on one node, browse, tag and search on another: the page end to end on a real cluster.</summary>
[Collection(WebClusterCollection.Name)]
public sealed class GallerySpecs
{
    private const int Width = 64;
    private const int Height = 48;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly WebCluster _web;

    public GallerySpecs(WebCluster web, ITestOutputHelper output)
    {
        _web = web;
        _web.Attach(output);
        SetDefaultExpectTimeout(20_000);
    }

    [Fact]
    public async Task TestJpeg_DecodesInChromium_AtItsSize()
    {
        var page = await _web.OpenAsync(_web.Nodes[0], "#/upload");
        var jpeg = TestJpeg.Create(Width, Height, (x, y) => (byte)((x * 40) + (y * 20)), new TestJpeg.Exif(new DateTime(2024, 7, 14, 9, 30, 0), 48.8566, 2.3522));

        var size = await page.EvaluateAsync<int[]>(
            """
            async base64 => {
              const img = new Image();
              img.src = 'data:image/jpeg;base64,' + base64;
              await img.decode();
              return [img.naturalWidth, img.naturalHeight];
            }
            """,
            Convert.ToBase64String(jpeg));

        Assert.Equal([Width, Height], size);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TwoJpegsDroppedOnNodeA_ShowInNodeBsGallery_AndATagAddedThereFindsOnlyItsFile()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var seed = Random.Shared.Next();
        var paris = new Photo($"paris-{run}.jpg", Jpeg(seed, new TestJpeg.Exif(new DateTime(2024, 7, 14, 9, 30, 0), 48.8566, 2.3522)));
        var sydney = new Photo($"sydney-{run}.jpg", Jpeg(seed + 1, new TestJpeg.Exif(new DateTime(2023, 1, 2, 18, 0, 0), -33.8688, 151.2093)));
        var (nodeA, nodeB) = (_web.Nodes[0], _web.Nodes[1]);

        var rejected = $"notes-{run}.txt";

        var upload = await _web.OpenAsync(nodeA, "#/upload");
        await upload.GetByLabel("Tags for these uploads").FillAsync($"trip{run}");
        await WebCluster.DropAsync(upload, "#drop", [(paris.Name, "image/jpeg", paris.Bytes), (sydney.Name, "image/jpeg", sydney.Bytes), (rejected, "text/plain", "not a photo"u8.ToArray())]);

        foreach (var photo in new[] { paris, sydney })
        {
            var row = upload.Locator($"#uploads li[data-name='{photo.Name}']");
            await Expect(row).ToHaveAttributeAsync("data-state", "done");
            await Expect(row).ToContainTextAsync("Stored at height");
        }

        var failed = upload.Locator($"#uploads li[data-name='{rejected}']");
        await Expect(failed).ToHaveAttributeAsync("data-state", "error");
        await Expect(failed.Locator(".error")).ToContainTextAsync("'text/plain' is not an accepted type");
        await Expect(upload.Locator("#total-text")).ToHaveTextAsync("2 of 3 uploaded, 1 failed.");
        Assert.Equal(1.0, await upload.Locator("#total-progress").EvaluateAsync<double>("e => e.value"));
        await WebCluster.ScreenshotAsync(upload, "upload");

        // B applies the blocks a moment after A acknowledged them.
        var onB = new Dictionary<string, JsonElement>();
        foreach (var photo in new[] { paris, sydney })
        {
            await Eventually.UntilAsync(
                async () => (await _web.Http[1].GetAsync($"/api/files/{photo.Id}")).StatusCode == HttpStatusCode.OK,
                Wait,
                $"node B never had {photo.Name} ({photo.Id})");
            onB[photo.Id] = await _web.Http[1].GetFromJsonAsync<JsonElement>($"/api/files/{photo.Id}");
        }

        var gallery = await _web.OpenAsync(nodeB, "#/gallery");
        foreach (var photo in new[] { paris, sydney })
        {
            var image = gallery.Locator($".card[data-file-id='{photo.Id}'] img");
            await Expect(image).ToHaveAttributeAsync("loading", "lazy");
            await Expect(image).ToHaveAttributeAsync("alt", photo.Name);
            await Expect(image).ToHaveJSPropertyAsync("naturalWidth", Width);
            await Expect(gallery.Locator($".card[data-file-id='{photo.Id}'] .tags")).ToHaveTextAsync($"trip{run}");
        }

        await WebCluster.ScreenshotAsync(gallery, "gallery");

        await gallery.Locator($".card[data-file-id='{paris.Id}'] a").ClickAsync();
        await Expect(gallery.Locator("#file-title")).ToHaveTextAsync(paris.Name);
        var recorded = onB[paris.Id];
        await Expect(gallery.Locator("#file-body [data-testid='height']")).ToHaveTextAsync(recorded.GetProperty("height").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(gallery.Locator("#file-body")).ToContainTextAsync(recorded.GetProperty("blockHash").GetString()!);
        await Expect(gallery.Locator("#file-body a[href^='https://www.openstreetmap.org/?mlat=48.85']")).ToBeVisibleAsync();

        var tag = $"eiffel{run}";
        await gallery.GetByLabel("Add tag").FillAsync(tag);
        await gallery.GetByLabel("Add tag").PressAsync("Enter");
        await Expect(gallery.Locator("#file-status")).ToContainTextAsync("committed at height");
        await Expect(gallery.Locator(".tag-list")).ToContainTextAsync(tag);
        await WebCluster.ScreenshotAsync(gallery, "file-detail");

        await gallery.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Gallery" }).ClickAsync();
        await gallery.GetByLabel("Tag", new() { Exact = true }).PressSequentiallyAsync(tag, new() { Delay = 30 });
        await Expect(gallery.Locator("#grid .card")).ToHaveCountAsync(1);
        await Expect(gallery.Locator($"#grid .card[data-file-id='{paris.Id}']")).ToBeVisibleAsync();
        await Expect(gallery.Locator("#gallery-status")).ToHaveTextAsync("1 file match.");
        await WebCluster.ScreenshotAsync(gallery, "search-by-tag");

        var cluster = await _web.OpenAsync(nodeB, "#/cluster");
        await Expect(cluster.Locator("#agree")).ToHaveAttributeAsync("data-state", "agree");
        await Expect(cluster.Locator("#agree")).ToContainTextAsync("All 3 heads agree");

        Assert.Empty(_web.OffClusterRequests);
        await upload.Context.CloseAsync();
        await gallery.Context.CloseAsync();
        await cluster.Context.CloseAsync();
    }

    [Fact]
    public async Task DateNameAndPlaceFilters_KeepOnlyThePhotosThatMatch()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var seed = Random.Shared.Next();
        var paris = new Photo($"paris-{run}.jpg", Jpeg(seed, new TestJpeg.Exif(new DateTime(2019, 5, 1, 12, 0, 0), 48.8566, 2.3522)));
        var sydney = new Photo($"sydney-{run}.jpg", Jpeg(seed + 1, new TestJpeg.Exif(new DateTime(2018, 3, 3, 8, 0, 0), -33.8688, 151.2093)));
        await PostAsync(_web.Http[0], paris);
        await PostAsync(_web.Http[0], sydney);

        var page = await _web.OpenAsync(_web.Nodes[0], "#/gallery");
        var grid = page.Locator("#grid");

        await page.GetByLabel("Taken from").FillAsync("2019-04-30");
        await page.GetByLabel("Taken to").FillAsync("2019-05-01");
        await Expect(grid.Locator($".card[data-file-id='{paris.Id}']")).ToBeVisibleAsync();
        await Expect(grid.Locator($".card[data-file-id='{sydney.Id}']")).ToHaveCountAsync(0);

        await page.GetByLabel("Taken from").FillAsync(string.Empty);
        await page.GetByLabel("Taken to").FillAsync(string.Empty);
        await page.GetByLabel("Place").FillAsync("-34,151,-33,152");
        await Expect(grid.Locator($".card[data-file-id='{sydney.Id}']")).ToBeVisibleAsync();
        await Expect(grid.Locator($".card[data-file-id='{paris.Id}']")).ToHaveCountAsync(0);

        await page.GetByLabel("Place").FillAsync("48.85,2.35,5");
        await Expect(grid.Locator($".card[data-file-id='{paris.Id}']")).ToBeVisibleAsync();
        await Expect(grid.Locator($".card[data-file-id='{sydney.Id}']")).ToHaveCountAsync(0);

        await page.GetByLabel("Place").FillAsync(string.Empty);
        await page.GetByLabel("Name starts with").FillAsync($"SYDNEY-{run}");
        await Expect(grid.Locator($".card[data-file-id='{sydney.Id}']")).ToBeVisibleAsync();
        await Expect(grid.Locator(".card")).ToHaveCountAsync(1);

        await page.GetByLabel("Place").FillAsync("48.85,2.35");
        await Expect(page.GetByLabel("Place")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#gallery-status")).ToContainTextAsync("lat,lon,km");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task UploadWithoutTheApiKey_ShowsTheRefusalBesideTheFile_AndWithTheKeySavedSendsItAsABearerToken()
    {
        var photo = new Photo($"keyed-{Guid.NewGuid():N}.jpg", Jpeg(Random.Shared.Next(), new TestJpeg.Exif(new DateTime(2021, 1, 1), 10, 10)));
        var page = await _web.OpenAsync(_web.Nodes[2], "#/upload", withApiKey: false);

        await WebCluster.DropAsync(page, "#drop", [(photo.Name, "image/jpeg", photo.Bytes)]);

        var row = page.Locator($"#uploads li[data-name='{photo.Name}']");
        await Expect(row).ToHaveAttributeAsync("data-state", "error");
        await Expect(row.Locator(".error")).ToContainTextAsync("Authorization: Bearer");

        await page.Locator("header summary").ClickAsync();
        await page.GetByLabel("API key (sent as a Bearer token with every request)").FillAsync(WebCluster.ApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await page.ReloadAsync();
        await Expect(page.Locator("header summary")).ToHaveTextAsync("API key (set)");
        var request = await page.RunAndWaitForRequestAsync(
            () => WebCluster.DropAsync(page, "#drop", [(photo.Name, "image/jpeg", photo.Bytes)]),
            r => r.Url.EndsWith("/api/files", StringComparison.Ordinal) && r.Method == "POST");

        Assert.Equal($"Bearer {WebCluster.ApiKey}", await request.HeaderValueAsync("authorization"));
        await Expect(row).ToHaveAttributeAsync("data-state", "done");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AtPhoneWidth_TheFileDetail_NeverScrollsSideways()
    {
        var photo = new Photo($"a-long-file-name-with-no-spaces-to-break-at-{Guid.NewGuid():N}.jpg", Jpeg(Random.Shared.Next(), new TestJpeg.Exif(new DateTime(2022, 2, 2), 51.5, -0.12)));
        await PostAsync(_web.Http[1], photo);

        var page = await _web.OpenAsync(_web.Nodes[1], $"#/files/{photo.Id}", width: 375, height: 740);
        await Expect(page.Locator("#file-title")).ToHaveTextAsync(photo.Name);
        await Expect(page.Locator("#file-body img")).ToHaveJSPropertyAsync("naturalWidth", Width);
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");

        await WebCluster.ScreenshotAsync(page, "phone-file-detail");
        Assert.True(widths[0] <= widths[1], $"The file detail at 375 px is {widths[0]} px wide: it scrolls sideways.");
        await page.Context.CloseAsync();
    }

    private static async Task PostAsync(HttpClient http, Photo photo)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/files") { Content = new ByteArrayContent(photo.Bytes) };
        request.Content.Headers.ContentType = new("image/jpeg");
        request.Headers.Add("X-File-Name", photo.Name);
        using var response = await http.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST {photo.Name} was {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static byte[] Jpeg(int seed, TestJpeg.Exif exif)
    {
        var random = new Random(seed);
        var shades = Enumerable.Range(0, Width * Height / 64).Select(_ => (byte)random.Next(256)).ToArray();
        return TestJpeg.Create(Width, Height, (x, y) => shades[(y * (Width / 8)) + x], exif);
    }

    private sealed record Photo(string Name, byte[] Bytes)
    {
        public string Id { get; } = Convert.ToHexStringLower(SHA256.HashData(Bytes));
    }
}
