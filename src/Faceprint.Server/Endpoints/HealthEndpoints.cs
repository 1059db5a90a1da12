using Faceprint.Engine;
using Faceprint.Server.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Faceprint.Server.Endpoints;

/// <summary><c>GET /healthz</c>: unauthenticated and not rate-limited, for load balancers and orchestrators.</summary>
internal static class HealthEndpoints
{
    /// <summary>Maps the endpoint onto <paramref name="app"/>.</summary>
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/healthz", (FaceEngine engine) => TypedResults.Ok(new HealthResponse("ok", engine.EmbedderId, engine.EmbeddingSize)))
            .WithName("Health").WithSummary("Liveness: the service is up and which embedding model it serves")
            .AllowAnonymous().DisableRateLimiting();
}
