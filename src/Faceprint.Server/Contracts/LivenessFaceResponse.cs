namespace Faceprint.Server.Contracts;

/// <summary>A detected face with its anti-spoofing outcome.</summary>
public sealed record LivenessFaceResponse(FaceResponse Face, LivenessScoreResponse Liveness);
