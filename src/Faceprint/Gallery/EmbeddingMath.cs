using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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

    /// <summary>
    /// Dot product of two equal-length spans: 512-bit (else 256-bit) fused multiply-adds into four independent
    /// accumulators, so the loop is limited by loads rather than by the latency of one running sum. Every store and the
    /// tests' reference use this one function, so equal inputs give bit-equal scores everywhere.
    /// </summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
            throw new ArgumentException($"lengths differ: {a.Length} and {b.Length}");
        ref float pa = ref MemoryMarshal.GetReference(a);
        ref float pb = ref MemoryMarshal.GetReference(b);
        int n = a.Length, i = 0;
        float total = 0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            var s0 = Vector512<float>.Zero;
            var s1 = Vector512<float>.Zero;
            var s2 = Vector512<float>.Zero;
            var s3 = Vector512<float>.Zero;
            int w = Vector512<float>.Count;
            for (; i + 4 * w <= n; i += 4 * w)
            {
                s0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref pa, (nuint)i), Vector512.LoadUnsafe(ref pb, (nuint)i), s0);
                s1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref pa, (nuint)(i + w)), Vector512.LoadUnsafe(ref pb, (nuint)(i + w)), s1);
                s2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref pa, (nuint)(i + 2 * w)), Vector512.LoadUnsafe(ref pb, (nuint)(i + 2 * w)), s2);
                s3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref pa, (nuint)(i + 3 * w)), Vector512.LoadUnsafe(ref pb, (nuint)(i + 3 * w)), s3);
            }

            for (; i + w <= n; i += w)
                s0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref pa, (nuint)i), Vector512.LoadUnsafe(ref pb, (nuint)i), s0);
            total = Vector512.Sum((s0 + s1) + (s2 + s3));
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            var s0 = Vector256<float>.Zero;
            var s1 = Vector256<float>.Zero;
            var s2 = Vector256<float>.Zero;
            var s3 = Vector256<float>.Zero;
            int w = Vector256<float>.Count;
            for (; i + 4 * w <= n; i += 4 * w)
            {
                s0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pa, (nuint)i), Vector256.LoadUnsafe(ref pb, (nuint)i), s0);
                s1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pa, (nuint)(i + w)), Vector256.LoadUnsafe(ref pb, (nuint)(i + w)), s1);
                s2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pa, (nuint)(i + 2 * w)), Vector256.LoadUnsafe(ref pb, (nuint)(i + 2 * w)), s2);
                s3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pa, (nuint)(i + 3 * w)), Vector256.LoadUnsafe(ref pb, (nuint)(i + 3 * w)), s3);
            }

            for (; i + w <= n; i += w)
                s0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pa, (nuint)i), Vector256.LoadUnsafe(ref pb, (nuint)i), s0);
            total = Vector256.Sum((s0 + s1) + (s2 + s3));
        }

        for (; i < n; i++)
            total = MathF.FusedMultiplyAdd(Unsafe.Add(ref pa, i), Unsafe.Add(ref pb, i), total);
        return total;
    }
}
