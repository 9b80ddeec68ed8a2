using System.Net;
using System.Text;
using System.Text.Json;
using ActorChain.Gateway.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorChain.Gateway.Tests.Operations;

/// <summary>
/// The operations middleware on a bare app (no node), for what a node has no route to provoke:
/// an endpoint that throws, and one that reads a body past Kestrel's limit.
/// </summary>
public sealed class OperationsPipelineTests : IAsyncLifetime
{
    private const string Secret = "the exception's secret message";
    private readonly TaskCompletionSource _hanging = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var limits = new HttpLimits { MaxRequestBodySize = 1024 };
        GatewayOperations.AddServices(builder.Services, new GatewayOperationsOptions { Limits = limits });
        builder.WebHost.ConfigureKestrel(kestrel => GatewayOperations.ConfigureKestrel(kestrel, limits));
        _app = builder.Build();
        _app.UseGatewayOperations();
        _app.MapGet("/throws", string () => throw new InvalidOperationException(Secret));
        _app.MapGet("/hang", async (HttpContext context) =>
        {
            _hanging.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        _app.MapGet("/raw/{id}", (RequestDelegate)(context => context.Response.WriteAsync("raw")));
        _app.MapPost("/echo", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            return Results.Text(await reader.ReadToEndAsync());
        });
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task UnhandledException_Is500Problem_WithoutTheExceptionOrItsStack()
    {
        using var response = await _http.GetAsync("/throws");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(InvalidOperationException), body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(500, problem.RootElement.GetProperty("status").GetInt32());
        Assert.True(problem.RootElement.TryGetProperty("traceId", out _));
    }

    [Fact]
    public async Task UnhandledException_IsCountedAs500_UnderItsRoute()
    {
        var metrics = _app.Services.GetRequiredService<GatewayMetrics>();
        var before = metrics.Requests.Get("/throws", "GET", 500);

        using var response = await _http.GetAsync("/throws");

        Assert.Equal(before + 1, metrics.Requests.Get("/throws", "GET", 500));
    }

    [Fact]
    public async Task BodyOverKestrelsLimit_Is413Problem()
    {
        using var response = await _http.PostAsync("/echo", new ByteArrayContent(new byte[4096]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ChunkedBodyOverKestrelsLimit_Is413Problem()
    {
        var content = new StreamContent(new MemoryStream(new byte[4096]));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/echo") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task BodyWithinTheLimit_Passes()
    {
        using var response = await _http.PostAsync("/echo", new StringContent("hello", Encoding.UTF8));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unmatched_AskedForHtml_IsStillProblemJson()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/no/such/page");
        request.Headers.Accept.ParseAdd("text/html");

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/no/such/page", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiDocument_ListsEvenARouteMappedAsABareRequestDelegate()
    {
        using var document = JsonDocument.Parse(await _http.GetStringAsync(GatewayOperations.DocumentPath));

        var operation = document.RootElement.GetProperty("paths").GetProperty("/raw/{id}").GetProperty("get");

        Assert.Equal("id", operation.GetProperty("parameters")[0].GetProperty("name").GetString());
        Assert.Equal("path", operation.GetProperty("parameters")[0].GetProperty("in").GetString());
    }

    [Fact]
    public async Task RequestTheClientAbandons_IsCountedAs499_NotAs200()
    {
        var metrics = _app.Services.GetRequiredService<GatewayMetrics>();
        using var cancel = new CancellationTokenSource();
        var request = _http.GetAsync("/hang", cancel.Token);

        await _hanging.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        await ActorChain.Tests.Harness.Eventually.Until(
            () => metrics.Requests.Get("/hang", "GET", ProblemExceptionMiddleware.ClientClosedRequest) == 1,
            TimeSpan.FromSeconds(10),
            "the abandoned request was not counted as 499");
        Assert.Equal(0, metrics.Requests.Get("/hang", "GET", 200));
    }
}
