using Faceprint.Detection;
using Faceprint.Imaging;
using Faceprint.Recognition;

namespace Faceprint.Tests.Recognition;

/// <summary>A model set used as one embedder: weighted, normalised parts concatenated, so cosine is weighted score fusion.</summary>
public sealed class EnsembleEmbedderTests
{
    /// <summary>Returns fixed vectors (normalised), one per face in order.</summary>
    private sealed class FixedEmbedder(params float[][] vectors) : IFaceEmbedder
    {
        public int Dimension => vectors[0].Length;
        public long MacsPerFace => 1000;
        public float[][] Embed(RgbImage image, IReadOnlyList<DetectedFace> faces) => [.. faces.Select((_, i) => Unit(vectors[i]))];
        public float[][] EmbedAligned(IReadOnlyList<RgbImage> faces) => [.. faces.Select((_, i) => Unit(vectors[i]))];
        public void EmbedAlignedRaw(IReadOnlyList<RgbImage> faces, Span<float> destination) => throw new NotSupportedException();
        public void EmbedAlignedInto(RgbImage face, Span<float> destination) => Unit(vectors[0]).CopyTo(destination);
        private static float[] Unit(float[] v)
        {
            var c = (float[])v.Clone();
            Embedding.Normalize(c);
            return c;
        }
    }

    private static readonly DetectedFace Face = new(new BoundingBox(0, 0, 1, 1), 1f, []);

    [Fact]
    public void Cosine_of_the_ensemble_is_the_weighted_mean_of_member_cosines()
    {
        var a = new FixedEmbedder([1, 0, 0], [0.6f, 0.8f, 0]);
        var b = new FixedEmbedder([0, 1], [1, 1]);
        float wa = 0.8f, wb = 0.6f;
        var ensemble = new EnsembleEmbedder([(a, wa), (b, wb)]);
        var e = ensemble.Embed(new RgbImage(4, 4), [Face, Face]);

        Assert.Equal(5, ensemble.Dimension);
        Assert.Equal(2000, ensemble.MacsPerFace);
        double cosA = 0.6, cosB = 1 / Math.Sqrt(2);
        double expected = (wa * wa * cosA + wb * wb * cosB) / (wa * wa + wb * wb);
        Assert.Equal(expected, Embedding.Cosine(e[0], e[1]), 5);
        Assert.Equal(1.0, Math.Sqrt(e[0].Sum(v => (double)v * v)), 5);
    }

    [Fact]
    public void Non_positive_weights_are_refused()
    {
        var a = new FixedEmbedder([1f, 0f]);
        Assert.Throws<ArgumentException>(() => new EnsembleEmbedder([(a, 0f)]));
        Assert.Throws<ArgumentException>(() => new EnsembleEmbedder([]));
    }
}
