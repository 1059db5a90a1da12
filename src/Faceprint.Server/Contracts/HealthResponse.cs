namespace Faceprint.Server.Contracts;

/// <summary>Answer of <c>GET /healthz</c>: the service is up and which embedding model it serves.</summary>
public sealed record HealthResponse(string Status, string Model, int EmbeddingSize);
