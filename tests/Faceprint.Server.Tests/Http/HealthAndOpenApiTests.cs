using System.Net;
using System.Text.Json;
using Faceprint.Server.Tests.Support;

namespace Faceprint.Server.Tests.Http;

[Collection(ServerCollection.Name)]
public sealed class HealthAndOpenApiTests(EngineFixture fixture)
{
    [Fact]
    public async Task Healthz_answers_without_a_key_and_names_the_model()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        var response = await server.Client(key: null).GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await LoopbackServer.ReadJsonAsync(response);
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.Equal(fixture.Engine.EmbedderId, body.GetProperty("model").GetString());
        Assert.Equal(fixture.Engine.EmbeddingSize, body.GetProperty("embedding_size").GetInt32());
    }

    [Fact]
    public async Task OpenApi_document_lists_every_endpoint_with_image_bodies_and_key_security()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        var response = await server.Client(key: null).GetAsync(FaceprintServer.OpenApiPath);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith("3.", doc.GetProperty("openapi").GetString());
        var paths = doc.GetProperty("paths");
        var expected = new (string Path, string Method)[]
        {
            ("/healthz", "get"), ("/v1/detect", "post"), ("/v1/embed", "post"), ("/v1/compare", "post"), ("/v1/liveness", "post"),
            ("/v1/gallery/persons", "get"), ("/v1/gallery/persons/{person_id}", "get"), ("/v1/gallery/persons/{person_id}", "delete"),
            ("/v1/gallery/persons/{person_id}/templates", "post"), ("/v1/gallery/identify", "post"), ("/v1/gallery/persons/{person_id}/verify", "post"),
        };
        foreach (var (path, method) in expected)
            Assert.True(paths.TryGetProperty(path, out var item) && item.TryGetProperty(method, out _), $"{method} {path} missing from the document");

        // The image bodies the handlers read by hand are described, and JSON alternatives stay.
        var detectBody = paths.GetProperty("/v1/detect").GetProperty("post").GetProperty("requestBody").GetProperty("content");
        Assert.True(detectBody.TryGetProperty("multipart/form-data", out var form));
        Assert.Equal("binary", form.GetProperty("schema").GetProperty("properties").GetProperty("image").GetProperty("format").GetString());
        Assert.True(detectBody.TryGetProperty("image/*", out _));
        var compareForm = paths.GetProperty("/v1/compare").GetProperty("post").GetProperty("requestBody").GetProperty("content")
            .GetProperty("multipart/form-data").GetProperty("schema").GetProperty("properties");
        Assert.True(compareForm.TryGetProperty("a", out _) && compareForm.TryGetProperty("b", out _));
        var enrollBody = paths.GetProperty("/v1/gallery/persons/{person_id}/templates").GetProperty("post").GetProperty("requestBody").GetProperty("content");
        Assert.True(enrollBody.TryGetProperty("application/json", out _));
        Assert.True(enrollBody.TryGetProperty("multipart/form-data", out _));

        // Security: both ways of sending the key, required on /v1 only.
        var schemes = doc.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("X-Api-Key", schemes.GetProperty("ApiKeyHeader").GetProperty("name").GetString());
        Assert.Equal("bearer", schemes.GetProperty("ApiKeyBearer").GetProperty("scheme").GetString());
        Assert.Equal(2, paths.GetProperty("/v1/detect").GetProperty("post").GetProperty("security").GetArrayLength());
        Assert.False(paths.GetProperty("/healthz").GetProperty("get").TryGetProperty("security", out _));

        // Schemas use the wire names.
        var schemas = doc.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.GetProperty("HealthResponse").GetProperty("properties").TryGetProperty("embedding_size", out _));
        Assert.True(schemas.GetProperty("ApiProblem").GetProperty("properties").TryGetProperty("request_id", out _));
    }

    [Fact]
    public async Task Unknown_routes_and_methods_get_a_problem_body()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        var client = server.Client();

        await Problems.AssertAsync(await client.GetAsync("/v1/nothing-here"), HttpStatusCode.NotFound, "not_found");
        await Problems.AssertAsync(await client.GetAsync("/v1/detect"), HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }
}
