namespace Faceprint.Server.Contracts;

/// <summary>JSON body of an identification or verification by embedding instead of an image.</summary>
public sealed record ProbeEmbeddingRequest(float[]? Embedding);
