using Faceprint.Server.Endpoints;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Faceprint.Server.OpenApi;

/// <summary>
/// Adds the image request bodies the endpoints read by hand (the generator cannot see them): a multipart form
/// with the endpoint's file fields, where accepted a raw image body, and the JSON alternative's schema.
/// </summary>
internal sealed class ImageBodyTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var body = context.Description.ActionDescriptor.EndpointMetadata.OfType<ImageBody>().FirstOrDefault();
        if (body is null)
            return;

        var request = operation.RequestBody as OpenApiRequestBody ?? new OpenApiRequestBody();
        request.Required = true;
        request.Content ??= new Dictionary<string, OpenApiMediaType>();
        var form = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>(),
            Required = new HashSet<string>(),
        };
        foreach (string field in body.Fields)
        {
            form.Properties[field] = body.Repeated ? new OpenApiSchema { Type = JsonSchemaType.Array, Items = Binary() } : Binary();
            form.Required.Add(field);
        }

        request.Content["multipart/form-data"] = new OpenApiMediaType { Schema = form };
        if (body.RawBody)
        {
            request.Content["image/*"] = new OpenApiMediaType { Schema = Binary() };
            request.Content["application/octet-stream"] = new OpenApiMediaType { Schema = Binary() };
        }

        if (body.JsonBody is not null)
            request.Content["application/json"] = new OpenApiMediaType { Schema = await context.GetOrCreateSchemaAsync(body.JsonBody, cancellationToken: cancellationToken) };

        operation.RequestBody = request;
    }

    private static OpenApiSchema Binary() => new() { Type = JsonSchemaType.String, Format = "binary" };
}
