using Faceprint.Detection;
using Faceprint.Imaging;

namespace Faceprint.Recognition;

/// <summary>
/// A set of embedders used as one: each member's L2-normalised embedding times its weight, concatenated and
/// normalised again. The cosine of two such vectors is Σ wᵢ²·cosᵢ / Σ wᵢ², so this is also weighted score fusion.
/// </summary>
public sealed class EnsembleEmbedder : IFaceEmbedder
{
    private readonly IReadOnlyList<(IFaceEmbedder Embedder, float Weight)> _members;

    /// <summary>Creates the ensemble; weights must be positive.</summary>
    public EnsembleEmbedder(IReadOnlyList<(IFaceEmbedder Embedder, float Weight)> members)
    {
        if (members.Count == 0) throw new ArgumentException("an ensemble needs at least one member", nameof(members));
        if (members.Any(m => !(m.Weight > 0) || !float.IsFinite(m.Weight))) throw new ArgumentException("ensemble weights must be positive", nameof(members));
        _members = members;
        Dimension = members.Sum(m => m.Embedder.Dimension);
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <inheritdoc />
    public long MacsPerFace => _members.Sum(m => m.Embedder.MacsPerFace);

    /// <inheritdoc />
    public float[][] Embed(RgbImage image, IReadOnlyList<DetectedFace> faces) => Combine(faces.Count, m => m.Embed(image, faces));

    /// <inheritdoc />
    public float[][] EmbedAligned(IReadOnlyList<RgbImage> faces) => Combine(faces.Count, m => m.EmbedAligned(faces));

    /// <inheritdoc />
    public void EmbedAlignedRaw(IReadOnlyList<RgbImage> faces, Span<float> destination)
    {
        // Members' raw outputs have unrelated scales; the weighted normalised parts are the ensemble's "raw" output.
        var combined = EmbedAligned(faces);
        for (int i = 0; i < combined.Length; i++) combined[i].CopyTo(destination.Slice(i * Dimension, Dimension));
    }

    /// <inheritdoc />
    public void EmbedAlignedInto(RgbImage face, Span<float> destination) => EmbedAligned([face])[0].CopyTo(destination);

    private float[][] Combine(int count, Func<IFaceEmbedder, float[][]> embed)
    {
        var result = new float[count][];
        for (int i = 0; i < count; i++) result[i] = new float[Dimension];
        int offset = 0;
        foreach (var (embedder, weight) in _members)
        {
            var parts = embed(embedder);
            for (int i = 0; i < count; i++)
                for (int j = 0; j < parts[i].Length; j++) result[i][offset + j] = parts[i][j] * weight;
            offset += embedder.Dimension;
        }
        foreach (var vector in result) Embedding.Normalize(vector);
        return result;
    }
}
