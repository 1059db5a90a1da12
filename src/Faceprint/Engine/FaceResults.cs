using Faceprint.Detection;

namespace Faceprint.Engine;

/// <summary>A detected face with its embedding.</summary>
public sealed record EmbeddedFace(DetectedFace Face, float[] Embedding);

/// <summary>Outcome of comparing the most prominent face of two photos.</summary>
public sealed record FaceComparison(float Similarity, float Threshold, bool Same, DetectedFace FaceA, DetectedFace FaceB);

/// <summary>No face was found where one was needed.</summary>
public sealed class NoFaceException(string message) : FaceprintException(message);
