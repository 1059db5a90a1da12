namespace Faceprint.Server.Contracts;

/// <summary>JSON body of an enrolment by embeddings: one or more vectors of the model's length (normalised on arrival).</summary>
public sealed record EnrollEmbeddingsRequest(IReadOnlyList<float[]>? Embeddings);
