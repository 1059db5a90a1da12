using Faceprint.Detection;

namespace Faceprint.Engine;

/// <summary>A detected face with its embedding.</summary>
public sealed record EmbeddedFace(DetectedFace Face, float[] Embedding)
{
    /// <summary>Position of <see cref="Face"/> among the photo's detected faces (best score first).</summary>
    public int FaceIndex { get; init; }

    /// <summary>How many faces the photo's detection found (1 when unknown).</summary>
    public int FacesFound { get; init; } = 1;
}

/// <summary>Outcome of comparing the subject face of two photos.</summary>
public sealed record FaceComparison(float Similarity, float Threshold, bool Same, DetectedFace FaceA, DetectedFace FaceB);

/// <summary>No face was found where one was needed.</summary>
public sealed class NoFaceException(string message) : FaceprintException(message);
