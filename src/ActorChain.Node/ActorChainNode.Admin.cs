using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using ActorChain.Remote.Faults;

namespace ActorChain.Node;

/// <summary><c>actorchain.admin</c>: switches for manual experiments, all off by default.</summary>
internal sealed class AdminSection
{
    /// <summary>Maps the fault-injection routes; never on in production (anyone who can reach the port could cut links).</summary>
    public bool FaultInjection { get; set; }
}

/// <summary>
/// Body of <c>PUT /api/admin/faults/{nodeId}</c>: what to do to the link from this node to
/// <c>nodeId</c>. <c>fault</c> is blackhole, drop, delay, throttle or heal.
/// </summary>
internal sealed record FaultRequest(string? Fault, string? Direction, double? Probability, int? DelayMs, int? JitterMs, long? BytesPerSecond);

internal sealed record FaultView(string NodeId, string Fault, string Direction);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(FaultRequest))]
[JsonSerializable(typeof(FaultView))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;

internal sealed partial class ActorChainNode
{
    private const int MaxFaultRequestBytes = 4096;

    // Fault injection from HTTP exists for people trying partitions by hand (tests drive the injector
    // directly); it is only mapped when the config turns it on, so a default node has no such route.
    private void MapAdminEndpoints()
    {
        var admin = Settings.Configuration.GetSection("actorchain:admin").Get<AdminSection>() ?? new AdminSection();
        if (!admin.FaultInjection)
        {
            return;
        }

        AdminLog.FaultInjectionRoutesEnabled(_log);
        var faults = Web.MapGroup("/api/admin/faults");
        faults.MapPut("/{nodeId}", async (string nodeId, HttpRequest request) =>
        {
            if (request.ContentLength is > MaxFaultRequestBytes)
            {
                return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large", detail: $"A fault request is at most {MaxFaultRequestBytes} bytes.");
            }

            if (nodeId == Settings.NodeId)
            {
                return BadFault($"'{nodeId}' is this node; a fault applies to the link to another node.");
            }

            FaultRequest? body;
            try
            {
                body = await JsonSerializer.DeserializeAsync(request.Body, AdminJsonContext.Default.FaultRequest, request.HttpContext.RequestAborted);
            }
            catch (JsonException e)
            {
                return BadFault($"The body is not a fault request: {e.Message}");
            }

            if (body is null)
            {
                return BadFault("The body is empty; send {\"fault\": \"blackhole\"} or another fault.");
            }

            if (!TryBuildFault(body, out var fault, out var direction, out var error))
            {
                return BadFault(error);
            }

            Remoting.Transport.Faults.Set(nodeId, direction, fault);
            AdminLog.FaultInjected(_log, nodeId, fault.ToString(), direction.ToString());
            return Results.Json(new FaultView(nodeId, body.Fault!, direction.ToString()), AdminJsonContext.Default.FaultView);
        });
        faults.MapDelete("/", () =>
        {
            Remoting.Transport.Faults.HealAll();
            AdminLog.FaultsHealed(_log);
            return Results.NoContent();
        });
    }

    private static bool TryBuildFault(FaultRequest body, out LinkFault fault, out FaultDirection direction, [NotNullWhen(false)] out string? error)
    {
        fault = LinkFault.PassThrough;
        direction = FaultDirection.Both;
        error = null;
        if (body.Direction is { } text && !Enum.TryParse(text, ignoreCase: true, out direction))
        {
            error = $"direction '{text}' is not send, receive or both.";
            return false;
        }

        try
        {
            fault = body.Fault?.ToLowerInvariant() switch
            {
                "blackhole" => LinkFault.Blackhole,
                "heal" => LinkFault.PassThrough,
                "drop" => LinkFault.Drop(body.Probability ?? throw new ArgumentException("drop needs 'probability' (0 to 1).")),
                "delay" => LinkFault.Delay(
                    TimeSpan.FromMilliseconds(body.DelayMs ?? throw new ArgumentException("delay needs 'delayMs'.")),
                    TimeSpan.FromMilliseconds(body.JitterMs ?? 0)),
                "throttle" => LinkFault.Throttle(body.BytesPerSecond ?? throw new ArgumentException("throttle needs 'bytesPerSecond'.")),
                _ => throw new ArgumentException($"fault '{body.Fault}' is not blackhole, drop, delay, throttle or heal."),
            };
            return true;
        }
        catch (ArgumentException e)
        {
            error = e.Message;
            return false;
        }
    }

    private static IResult BadFault(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad fault request", detail: detail);
}

/// <summary>EventIds 9090–9099: the admin routes, apart from the node's own range so they stand out in logs.</summary>
internal static partial class AdminLog
{
    [LoggerMessage(EventId = 9090, Level = LogLevel.Warning, Message = "Fault injection over HTTP is ON (actorchain.admin.fault-injection); never enable it in production")]
    public static partial void FaultInjectionRoutesEnabled(ILogger logger);

    [LoggerMessage(EventId = 9091, Level = LogLevel.Warning, Message = "Fault injected on the link to {RemoteNodeId}: {Fault} ({Direction})")]
    public static partial void FaultInjected(ILogger logger, string remoteNodeId, string fault, string direction);

    [LoggerMessage(EventId = 9092, Level = LogLevel.Warning, Message = "All injected faults healed")]
    public static partial void FaultsHealed(ILogger logger);
}
