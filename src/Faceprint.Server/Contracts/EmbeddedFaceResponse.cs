namespace Faceprint.Server.Contracts;

/// <summary>A detected face and its L2-normalised embedding.</summary>
public sealed record EmbeddedFaceResponse(FaceResponse Face, float[] Embedding);
