using Faceprint.Server.Security;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Faceprint.Server.OpenApi;

/// <summary>Describes the service and its API-key security (header or bearer token) on every /v1 operation.</summary>
internal sealed class ApiKeySecurityTransformer : IOpenApiDocumentTransformer
{
    private const string HeaderScheme = "ApiKeyHeader";
    private const string BearerScheme = "ApiKeyBearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Faceprint",
            Version = "v1",
            Description = "Face detection, embedding, comparison and a gallery for identification (1:N) and verification (1:1). "
                + "Images go as multipart/form-data or as the raw body (image/*, application/octet-stream); errors are application/problem+json.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[HeaderScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthentication.HeaderName,
            Description = "An API key from the service's configuration.",
        };
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The same API key, as Authorization: Bearer KEY.",
        };

        foreach (var (path, item) in document.Paths)
        {
            if (!path.StartsWith("/v1/", StringComparison.Ordinal) || item.Operations is null)
                continue;
            foreach (var operation in item.Operations.Values)
            {
                // Two requirements: either scheme alone is enough.
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(HeaderScheme, document)] = [] });
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] });
            }
        }

        return Task.CompletedTask;
    }
}
