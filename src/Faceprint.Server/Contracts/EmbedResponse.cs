namespace Faceprint.Server.Contracts;

/// <summary>Answer of <c>POST /v1/embed</c>: the model that made the embeddings, the image size and every face with its embedding.</summary>
public sealed record EmbedResponse(string Model, int Width, int Height, IReadOnlyList<EmbeddedFaceResponse> Faces);
