using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>
/// The exponentials of a max-subtracted softmax over rows of attention scores, at the full register width of each
/// instruction set (the exp is <see cref="SimdMath{TS, TV}.Exp"/>). The rows are left unnormalised and the reciprocal
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
        for (int r = 0; r < rows; r++) inverseSums[r] = Row<TS, TV>(data + (nint)r * stride, length, tail, tailMask);
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
            var e = SimdMath<TS, TV>.Exp(TS.Subtract(TS.Load(row + i), m));
            TS.Store(row + i, e);
            sum = TS.Add(sum, e);
        }
        if (tail > 0)
        {
            var e = TS.Select(tailMask, SimdMath<TS, TV>.Exp(TS.Subtract(TS.LoadPartial(row + full, tail), m)), TS.Splat(0f));
            TS.StorePartial(row + full, e, tail);
            sum = TS.Add(sum, e);
        }
        return 1f / TS.SumAcross(sum);
    }
}
