using System.Collections.Concurrent;
using ActorChain.Tests.Harness;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ActorChain.Browser.Tests;

/// <summary>
/// One real three-node cluster on loopback, each node serving the web page from its wwwroot, and one
/// headless Debian Chromium, shared by every spec of the collection: starting either takes seconds,
/// and the specs only add files, tags and keys.
/// </summary>
public sealed class WebCluster : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Every node takes this key (and only it) for writes, so the page must send it.</summary>
    public const string ApiKey = "browser-specs-key";

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static readonly string[] Names = ["n1", "n2", "n3"];

    private readonly CurrentTestOutput _output = new();
    private readonly ConcurrentQueue<string> _offCluster = new();
    private readonly string _files = Directory.CreateTempSubdirectory("actorchain-web-files-").FullName;
    private readonly MultiNodeCluster _cluster;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public WebCluster()
    {
        _cluster = new MultiNodeCluster(_output);
    }

    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public IReadOnlyList<Uri> Nodes { get; private set; } = [];

    /// <summary>One client per node, in the order of <see cref="Nodes"/>.</summary>
    public IReadOnlyList<HttpClient> Http { get; private set; } = [];

    /// <summary>Every URL a page asked for outside the cluster: the page must need nothing from the internet.</summary>
    public IReadOnlyCollection<string> OffClusterRequests => _offCluster;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser did not start.");

    public async Task InitializeAsync()
    {
        // Fail rather than skip: a missing browser would otherwise pass the suite while testing nothing.
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"{ChromiumPath} is missing: the browser specs drive Debian's chromium, which test.sh installs with apt-get (apt-get install -y chromium). Never download a browser for them.");
        }

        Directory.CreateDirectory(ScreenshotDirectory);
        var cluster = StartClusterAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        await cluster;
        Nodes = [.. Names.Select(n => _cluster[n].HttpAddress)];
        Http = [.. Nodes.Select(n => new HttpClient { BaseAddress = n, Timeout = TimeSpan.FromSeconds(30), DefaultRequestHeaders = { Authorization = new("Bearer", ApiKey) } })];
        foreach (var http in Http)
        {
            await Eventually.UntilAsync(
                async () => (await http.GetAsync("/health/ready")).IsSuccessStatusCode,
                Wait,
                $"{http.BaseAddress} never became ready");
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var http in Http)
        {
            http.Dispose();
        }

        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await _cluster.DisposeAsync();
        Directory.Delete(_files, recursive: true);
    }

    /// <summary>Node logs go to the output of whichever spec runs now.</summary>
    public void Attach(ITestOutputHelper? output) => _output.Current = output;

    /// <summary>A fresh page (its own storage) on the node, at a phone or desktop size, its API key saved unless <paramref name="withApiKey"/> is false.</summary>
    public async Task<IPage> OpenAsync(Uri node, string hash, int width = 1280, int height = 900, bool withApiKey = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = node.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        if (withApiKey)
        {
            await context.AddInitScriptAsync($"localStorage.setItem('actorchain.apiKey', '{ApiKey}')");
        }

        var page = await context.NewPageAsync();
        page.SetDefaultTimeout((float)Wait.TotalMilliseconds);
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                TestOutputLoggerProvider.Write(_output, $"browser {message.Type}: {message.Text}");
            }
        };
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith("http://127.0.0.1:", StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                _offCluster.Enqueue(request.Url);
            }
        };
        page.PageError += (_, error) => TestOutputLoggerProvider.Write(_output, $"browser page error: {error}");
        await page.GotoAsync($"/{hash}");
        return page;
    }

    /// <summary>Cuts every link between the node and the others, both ways (TCP stays up, envelopes vanish).</summary>
    public void Isolate(string name) => _cluster.Partition([name], Names.Where(n => n != name));

    public void HealAll()
    {
        foreach (var (a, b) in Names.SelectMany(a => Names.Where(b => string.CompareOrdinal(a, b) < 0).Select(b => (a, b))))
        {
            _cluster.Heal(a, b);
        }
    }

    /// <summary>Drops the files on the element as a real drag does: a DataTransfer built in the page, then dragenter, dragover, drop.</summary>
    public static Task DropAsync(IPage page, string target, IEnumerable<(string Name, string Type, byte[] Bytes)> files) =>
        page.EvaluateAsync(
            """
            async ({ target, files }) => {
              const transfer = new DataTransfer();
              for (const f of files) {
                const bytes = Uint8Array.from(atob(f.base64), c => c.charCodeAt(0));
                transfer.items.add(new File([bytes], f.name, { type: f.type }));
              }
              const zone = document.querySelector(target);
              for (const type of ['dragenter', 'dragover', 'drop']) {
                zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
              }
            }
            """,
            new { target, files = files.Select(f => new { name = f.Name, type = f.Type, base64 = Convert.ToBase64String(f.Bytes) }).ToArray() });

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, $"{name}.png"), FullPage = true });

    // The nodes share one files directory, as they would share a blob container: B serves what A stored.
    private async Task StartClusterAsync()
    {
        await _cluster.StartAsync(Names.Length, overrides: _ => new Dictionary<string, string?>
        {
            ["actorchain:gateway:filesdirectory"] = _files,
            ["actorchain:chain:foreignentrydelay"] = "50ms",
        ["actorchain:gateway:apikeys:0"] = ApiKey,
        });
        await _cluster.AwaitMembersUpAsync(Names);
    }

    private sealed class CurrentTestOutput : ITestOutputHelper
    {
        public ITestOutputHelper? Current { get; set; }

        public void WriteLine(string message) => Current?.WriteLine(message);

        public void WriteLine(string format, params object[] args) => Current?.WriteLine(format, args);
    }
}

[CollectionDefinition(Name)]
public sealed class WebClusterCollection : ICollectionFixture<WebCluster>
{
    public const string Name = "Web cluster";
}
