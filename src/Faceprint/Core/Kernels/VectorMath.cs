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

    /// <summary>max x (−∞ for an empty span).</summary>
    public static float Max(ReadOnlySpan<float> x)
    {
        float max = float.NegativeInfinity;
        int i = 0;
        if (x.Length >= Vector<float>.Count)
        {
            var acc = new Vector<float>(float.NegativeInfinity);
            for (; i + Vector<float>.Count <= x.Length; i += Vector<float>.Count) acc = Vector.Max(acc, new Vector<float>(x.Slice(i)));
            for (int lane = 0; lane < Vector<float>.Count; lane++) max = MathF.Max(max, acc[lane]);
        }
        for (; i < x.Length; i++) max = MathF.Max(max, x[i]);
        return max;
    }

    /// <summary>x ← x·scale + shift, element-wise with per-element scale and shift.</summary>
    public static void MultiplyAdd(ReadOnlySpan<float> x, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, Span<float> y)
    {
        int i = 0;
        for (; i + Vector<float>.Count <= x.Length; i += Vector<float>.Count)
            (new Vector<float>(x.Slice(i)) * new Vector<float>(scale.Slice(i)) + new Vector<float>(shift.Slice(i))).CopyTo(y.Slice(i));
        for (; i < x.Length; i++) y[i] = x[i] * scale[i] + shift[i];
    }

    private const float Log2E = 1.44269504088896341f;
    private const float Ln2High = 0.693145751953125f; // ln 2 with its low 12 mantissa bits zero, so n·Ln2High is exact
    private const float Ln2Low = 1.42860682030941723e-6f;
    private const float RoundingShift = 12582912f; // 1.5·2²³: adding and subtracting it rounds a float to an integer
    private static readonly float[] ExpTaylor = [1f, 1f, 1f / 2, 1f / 6, 1f / 24, 1f / 120, 1f / 720, 1f / 5040];

    /// <summary>
    /// e^x per lane, relative error ~2e-7: x = n·ln2 + r with |r| ≤ ln2/2 (Cody–Waite split of ln 2), e^r by its
    /// degree-7 Taylor polynomial (truncation 5e-9), 2ⁿ assembled in the exponent bits. Inputs are clamped to
    /// [−87, 88], so results stay normal and finite (e^−87 ≈ 1.6e-38 stands in for anything smaller).
    /// </summary>
    public static Vector<float> Exp(Vector<float> x)
    {
        x = Vector.Min(Vector.Max(x, new Vector<float>(-87f)), new Vector<float>(88f));
        var shift = new Vector<float>(RoundingShift);
        var n = Vector.FusedMultiplyAdd(x, new Vector<float>(Log2E), shift) - shift;
        var r = Vector.FusedMultiplyAdd(n, new Vector<float>(-Ln2High), x);
        r = Vector.FusedMultiplyAdd(n, new Vector<float>(-Ln2Low), r);
        var c = ExpTaylor;
        var p = new Vector<float>(c[7]);
        for (int k = 6; k >= 0; k--) p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(c[k]));
        var scale = Vector.AsVectorSingle(Vector.ShiftLeft(Vector.ConvertToInt32(n) + new Vector<int>(127), 23));
        return p * scale;
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
