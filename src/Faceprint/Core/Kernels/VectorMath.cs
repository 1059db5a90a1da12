using System.Numerics;

namespace Faceprint.Core.Kernels;

/// <summary>Reductions the normalisation and attention kernels share, SIMD across the span.</summary>
internal static class VectorMath
{
    /// <summary>Σ x.</summary>
    public static float Sum(ReadOnlySpan<float> x)
    {
        var acc = Vector<float>.Zero;
        int i = 0;
        for (; i + Vector<float>.Count <= x.Length; i += Vector<float>.Count) acc += new Vector<float>(x.Slice(i));
        float sum = Vector.Sum(acc);
        for (; i < x.Length; i++) sum += x[i];
        return sum;
    }

    /// <summary>Σ (x − mean)².</summary>
    public static float SumOfSquaredDeviations(ReadOnlySpan<float> x, float mean)
    {
        var acc = Vector<float>.Zero;
        var m = new Vector<float>(mean);
        int i = 0;
        for (; i + Vector<float>.Count <= x.Length; i += Vector<float>.Count)
        {
            var d = new Vector<float>(x.Slice(i)) - m;
            acc += d * d;
        }
        float sum = Vector.Sum(acc);
        for (; i < x.Length; i++) sum += (x[i] - mean) * (x[i] - mean);
        return sum;
    }

    /// <summary>x ← x·scale + shift, element-wise with per-element scale and shift.</summary>
    public static void MultiplyAdd(ReadOnlySpan<float> x, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, Span<float> y)
    {
        int i = 0;
        for (; i + Vector<float>.Count <= x.Length; i += Vector<float>.Count)
            (new Vector<float>(x.Slice(i)) * new Vector<float>(scale.Slice(i)) + new Vector<float>(shift.Slice(i))).CopyTo(y.Slice(i));
        for (; i < x.Length; i++) y[i] = x[i] * scale[i] + shift[i];
    }

    /// <summary>y = a + b.</summary>
    public static void Add(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        int i = 0;
        for (; i + Vector<float>.Count <= y.Length; i += Vector<float>.Count)
            (new Vector<float>(a.Slice(i)) + new Vector<float>(b.Slice(i))).CopyTo(y.Slice(i));
        for (; i < y.Length; i++) y[i] = a[i] + b[i];
    }
}
