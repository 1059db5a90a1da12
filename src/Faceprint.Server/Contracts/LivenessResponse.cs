namespace Faceprint.Server.Contracts;

/// <summary>Answer of <c>POST /v1/liveness</c>: the image size, the model and threshold, and every face with its score, best detector score first.</summary>
public sealed record LivenessResponse(int Width, int Height, string Model, float Threshold, IReadOnlyList<LivenessFaceResponse> Faces);
