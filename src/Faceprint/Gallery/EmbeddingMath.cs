using System.Numerics;
using System.Runtime.InteropServices;

namespace Faceprint.Gallery;

/// <summary>Validation, normalisation and SIMD dot products shared by the gallery stores.</summary>
internal static class EmbeddingMath
{
    /// <summary>Checks length and finiteness, then returns an L2-normalised copy.</summary>
    /// <param name="embedding">The raw embedding.</param>
    /// <param name="dimension">Required length.</param>
    /// <param name="what">Names the embedding in error messages, e.g. "embedding 3".</param>
    public static float[] Normalized(float[]? embedding, int dimension, string what)
    {
        if (embedding is null)
            throw new GalleryException($"{what} is missing");
        if (embedding.Length != dimension)
            throw new GalleryException($"{what} has {embedding.Length} values; the gallery holds {dimension}-d embeddings");

        // Sum in double so that large or tiny components neither overflow nor lose the norm.
        double sumSquares = 0;
        for (var i = 0; i < embedding.Length; i++)
        {
            var v = embedding[i];
            if (!float.IsFinite(v))
                throw new GalleryException($"{what} contains {(float.IsNaN(v) ? "NaN" : "infinity")} at index {i}");
            sumSquares += (double)v * v;
        }

        var norm = Math.Sqrt(sumSquares);
        if (norm == 0 || !double.IsFinite(norm))
            throw new GalleryException($"{what} has zero norm and cannot be normalised");

        var result = new float[dimension];
        for (var i = 0; i < dimension; i++)
            result[i] = (float)(embedding[i] / norm);
        return result;
    }

    /// <summary>Dot product of two equal-length spans, vectorised with <see cref="Vector{T}"/>.</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector<float>.Zero;
        var i = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<float>.Count)
        {
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            for (var j = 0; j < va.Length; j++)
                sum += va[j] * vb[j];
            i = va.Length * Vector<float>.Count;
        }

        var total = Vector.Sum(sum);
        for (; i < a.Length; i++)
            total += a[i] * b[i];
        return total;
    }
}
