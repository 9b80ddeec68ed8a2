using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace ActorChain.Gateway.Operations;

/// <summary>A route's OpenAPI operation id and summary, for routes mapped without <c>WithName</c>/<c>WithSummary</c>.</summary>
internal sealed record RouteDoc(string OperationId, string Summary);

/// <summary>
/// Keeps <c>/openapi/v1.json</c> complete. The framework describes only endpoints built from a
/// delegate with a method behind it; one mapped as a bare <see cref="RequestDelegate"/> would be
/// missing. This adds every route endpoint that is not there yet, with its methods and path
/// parameters, and fills in ids and summaries from <see cref="RouteDoc"/>s.
/// </summary>
internal sealed class EveryRouteDocumentTransformer(IReadOnlyDictionary<string, RouteDoc> docs) : IOpenApiDocumentTransformer
{
    /// <summary>The methods an endpoint without method metadata answers, as the document lists them.</summary>
    private static readonly string[] AnyMethod = ["GET", "POST", "PUT", "DELETE", "PATCH"];

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Paths ??= [];
        foreach (var endpoint in DescribedEndpoints(context.ApplicationServices.GetRequiredService<EndpointDataSource>()))
        {
            var path = PathOf(endpoint.RoutePattern);
            if (!document.Paths.TryGetValue(path, out var item))
            {
                item = new OpenApiPathItem();
                document.Paths[path] = item;
            }

            if (item is not OpenApiPathItem pathItem)
            {
                continue;
            }

            foreach (var method in MethodsOf(endpoint))
            {
                var httpMethod = HttpMethod.Parse(method);
                pathItem.Operations ??= [];
                if (!pathItem.Operations.TryGetValue(httpMethod, out var operation))
                {
                    operation = NewOperation(endpoint);
                    pathItem.Operations[httpMethod] = operation;
                }

                Describe(operation, method, path);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The route endpoints the document should hold: not excluded from descriptions, not a fallback.</summary>
    public static IEnumerable<RouteEndpoint> DescribedEndpoints(EndpointDataSource source) =>
        source.Endpoints.OfType<RouteEndpoint>().Where(e =>
            e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true } &&
            e.Order != int.MaxValue);

    /// <summary>An endpoint's methods; every common method when it has no method metadata (it answers any).</summary>
    public static IReadOnlyList<string> MethodsOf(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is { HttpMethods.Count: > 0 } metadata
            ? [.. metadata.HttpMethods.Select(m => m.ToUpperInvariant())]
            : AnyMethod;

    /// <summary>The document's path of a route: parameters as <c>{name}</c>, constraints, defaults and catch-all marks dropped.</summary>
    public static string PathOf(RoutePattern pattern)
    {
        var segments = pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            _ => string.Empty,
        })));
        return "/" + string.Join('/', segments);
    }

    private static OpenApiOperation NewOperation(RouteEndpoint endpoint)
    {
        var operation = new OpenApiOperation
        {
            Summary = endpoint.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary,
            Description = endpoint.Metadata.GetMetadata<IEndpointDescriptionMetadata>()?.Description,
            Parameters = [],
            Responses = new OpenApiResponses { ["200"] = new OpenApiResponse { Description = "OK" } },
        };
        foreach (var parameter in endpoint.RoutePattern.Parameters)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = parameter.Name,
                In = ParameterLocation.Path,
                Required = true,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        return operation;
    }

    private void Describe(OpenApiOperation operation, string method, string path)
    {
        if (docs.TryGetValue($"{method} {path}", out var doc))
        {
            operation.OperationId ??= doc.OperationId;
            operation.Summary ??= doc.Summary;
        }
    }
}

/// <summary>
/// With API keys configured: a bearer security scheme, required by every operation that writes
/// under <c>/api/</c>, so Swagger UI offers "Authorize" and sends the key on the writes it tries.
/// </summary>
internal sealed class BearerKeyDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string SchemeName = "apiKey";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "One of actorchain.gateway.api-keys; writes under /api/ need it, reads do not.",
        };
        foreach (var (path, item) in document.Paths ?? [])
        {
            if (!path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase) || item.Operations is null)
            {
                continue;
            }

            foreach (var (method, operation) in item.Operations)
            {
                if (method != HttpMethod.Get && method != HttpMethod.Head && method != HttpMethod.Options && method != HttpMethod.Trace)
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] });
                }
            }
        }

        return Task.CompletedTask;
    }
}
