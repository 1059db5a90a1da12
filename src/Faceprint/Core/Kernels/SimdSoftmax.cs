using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>
/// The exponentials of a max-subtracted softmax over rows of attention scores, at the full register width of each
/// instruction set (the exp is <see cref="SimdMath{TS, TV}.ExpOfNonPositive"/>). The rows are left unnormalised and the reciprocal
/// of each row's sum is returned instead: attention scales the few outputs of P·V rather than every probability.
/// Partial last registers go through the same code, padded so they add nothing (−∞ to the max, 0 to the sum).
/// </summary>
internal static unsafe class SimdSoftmax
{
    /// <summary>
    /// Replaces each of <paramref name="rows"/> rows of <paramref name="length"/> values, <paramref name="stride"/> apart,
    /// by e^(x − max) in place and writes 1/Σ e^(x − max) of row r to <paramref name="inverseSums"/>[r].
    /// </summary>
    public static void Rows(float* data, int rows, int length, int stride, float* inverseSums, KernelIsa isa)
    {
        switch (isa)
        {
            case KernelIsa.Avx512: Rows<Avx512Simd, Vector512<float>>(data, rows, length, stride, inverseSums); break;
            case KernelIsa.Avx2: Rows<Avx2Simd, Vector256<float>>(data, rows, length, stride, inverseSums); break;
            default: Rows<PortableSimd, System.Numerics.Vector<float>>(data, rows, length, stride, inverseSums); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows<TS, TV>(float* data, int rows, int length, int stride, float* inverseSums) where TS : struct, ISimd<TV> where TV : struct
    {
        int w = TS.Width, tail = length % w;
        // Lanes 0, 1, 2, … below the tail's length: built once per call, not per row.
        float* lanes = stackalloc float[w];
        for (int i = 0; i < w; i++) lanes[i] = i;
        var tailMask = TS.LessThan(TS.Load(lanes), TS.Splat(tail));
        int r = 0;
        for (; r + 1 < rows; r += 2)
            Pair<TS, TV>(data + (nint)r * stride, data + (nint)(r + 1) * stride, length, tail, tailMask, inverseSums + r);
        if (r < rows) inverseSums[r] = Row<TS, TV>(data + (nint)r * stride, length, tail, tailMask);
    }

    /// <summary>
    /// Two rows at once, each computed exactly as <see cref="Row"/> does: one row's chain (max, reduce, exponentials, sum,
    /// reduce) is mostly latency, so a second independent chain beside it nearly halves the time per row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pair<TS, TV>(float* row0, float* row1, int length, int tail, TV tailMask, float* inverseSums) where TS : struct, ISimd<TV> where TV : struct
    {
        int w = TS.Width, full = length - tail;
        TV max0 = TS.Splat(float.NegativeInfinity), max1 = max0;
        for (int i = 0; i < full; i += w)
        {
            max0 = TS.Max(max0, TS.Load(row0 + i));
            max1 = TS.Max(max1, TS.Load(row1 + i));
        }
        if (tail > 0)
        {
            var negative = TS.Splat(float.NegativeInfinity);
            max0 = TS.Max(max0, TS.Select(tailMask, TS.LoadPartial(row0 + full, tail), negative));
            max1 = TS.Max(max1, TS.Select(tailMask, TS.LoadPartial(row1 + full, tail), negative));
        }
        TV m0 = TS.Splat(TS.MaxAcross(max0)), m1 = TS.Splat(TS.MaxAcross(max1));
        TV sum0 = TS.Splat(0f), sum1 = sum0;
        for (int i = 0; i < full; i += w)
        {
            var e0 = SimdMath<TS, TV>.ExpOfNonPositive(TS.Subtract(TS.Load(row0 + i), m0));
            var e1 = SimdMath<TS, TV>.ExpOfNonPositive(TS.Subtract(TS.Load(row1 + i), m1));
            TS.Store(row0 + i, e0);
            TS.Store(row1 + i, e1);
            sum0 = TS.Add(sum0, e0);
            sum1 = TS.Add(sum1, e1);
        }
        if (tail > 0)
        {
            var zero = TS.Splat(0f);
            var e0 = TS.Select(tailMask, SimdMath<TS, TV>.ExpOfNonPositive(TS.Subtract(TS.LoadPartial(row0 + full, tail), m0)), zero);
            var e1 = TS.Select(tailMask, SimdMath<TS, TV>.ExpOfNonPositive(TS.Subtract(TS.LoadPartial(row1 + full, tail), m1)), zero);
            TS.StorePartial(row0 + full, e0, tail);
            TS.StorePartial(row1 + full, e1, tail);
            sum0 = TS.Add(sum0, e0);
            sum1 = TS.Add(sum1, e1);
        }
        inverseSums[0] = 1f / TS.SumAcross(sum0);
        inverseSums[1] = 1f / TS.SumAcross(sum1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Row<TS, TV>(float* row, int length, int tail, TV tailMask) where TS : struct, ISimd<TV> where TV : struct
    {
        int w = TS.Width, full = length - tail;
        var max = TS.Splat(float.NegativeInfinity);
        for (int i = 0; i < full; i += w) max = TS.Max(max, TS.Load(row + i));
        // LoadPartial zero-fills; the padding lanes must not raise the max, so they are masked to −∞.
        if (tail > 0) max = TS.Max(max, TS.Select(tailMask, TS.LoadPartial(row + full, tail), TS.Splat(float.NegativeInfinity)));
        var m = TS.Splat(TS.MaxAcross(max));
        var sum = TS.Splat(0f);
        for (int i = 0; i < full; i += w)
        {
            var e = SimdMath<TS, TV>.ExpOfNonPositive(TS.Subtract(TS.Load(row + i), m));
            TS.Store(row + i, e);
            sum = TS.Add(sum, e);
        }
        if (tail > 0)
        {
            var e = TS.Select(tailMask, SimdMath<TS, TV>.ExpOfNonPositive(TS.Subtract(TS.LoadPartial(row + full, tail), m)), TS.Splat(0f));
            TS.StorePartial(row + full, e, tail);
            sum = TS.Add(sum, e);
        }
        return 1f / TS.SumAcross(sum);
    }
}
