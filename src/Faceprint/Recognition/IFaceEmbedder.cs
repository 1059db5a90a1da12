using Faceprint.Detection;
using Faceprint.Imaging;

namespace Faceprint.Recognition;

/// <summary>What the engine needs of an embedder: one network (<see cref="FaceEmbedder"/>) or a set of them (<see cref="EnsembleEmbedder"/>).</summary>
public interface IFaceEmbedder
{
    /// <summary>Embedding length.</summary>
    int Dimension { get; }

    /// <summary>Multiply-accumulates per face.</summary>
    long MacsPerFace { get; }

    /// <summary>L2-normalised embeddings of detected faces of <paramref name="image"/>, in order.</summary>
    float[][] Embed(RgbImage image, IReadOnlyList<DetectedFace> faces);

    /// <summary>L2-normalised embeddings of already aligned 112×112 faces.</summary>
    float[][] EmbedAligned(IReadOnlyList<RgbImage> faces);

    /// <summary>Raw (not normalised) outputs of already aligned 112×112 faces, face after face.</summary>
    void EmbedAlignedRaw(IReadOnlyList<RgbImage> faces, Span<float> destination);

    /// <summary>The L2-normalised embedding of one aligned 112×112 face into <paramref name="destination"/>.</summary>
    void EmbedAlignedInto(RgbImage face, Span<float> destination);
}
