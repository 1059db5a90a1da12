using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>
/// Max-subtracted softmax of rows of attention scores at the full register width of each instruction set (the
/// exp is <see cref="SimdMath{TS, TV}.Exp"/>); partial last registers go through the same code, padded so they
/// add nothing (−∞ to the max, 0 to the sum).
/// </summary>
internal static unsafe class SimdSoftmax
{
    /// <summary>Soft-maxes <paramref name="rows"/> rows of <paramref name="length"/> values, <paramref name="stride"/> apart, in place.</summary>
    public static void Rows(float* data, int rows, int length, int stride, KernelIsa isa)
    {
        switch (isa)
        {
            case KernelIsa.Avx512:
                for (int r = 0; r < rows; r++) Row<Avx512Simd, Vector512<float>>(data + (nint)r * stride, length);
                break;
            case KernelIsa.Avx2:
                for (int r = 0; r < rows; r++) Row<Avx2Simd, Vector256<float>>(data + (nint)r * stride, length);
                break;
            default:
                for (int r = 0; r < rows; r++) Row<PortableSimd, System.Numerics.Vector<float>>(data + (nint)r * stride, length);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row<TS, TV>(float* row, int length) where TS : struct, ISimd<TV> where TV : struct
    {
        int w = TS.Width, full = length - length % w, tail = length - full;
        var max = TS.Splat(float.NegativeInfinity);
        for (int i = 0; i < full; i += w) max = TS.Max(max, TS.Load(row + i));
        // LoadPartial zero-fills; the padding lanes must not raise the max, so they are masked to −∞.
        var tailMask = TS.LessThan(Lanes<TS, TV>(), TS.Splat(tail));
        if (tail > 0) max = TS.Max(max, TS.Select(tailMask, TS.LoadPartial(row + full, tail), TS.Splat(float.NegativeInfinity)));
        var m = TS.Splat(Across<TS, TV>(max, w, maximum: true));
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
        var inverse = TS.Splat(1f / Across<TS, TV>(sum, w, maximum: false));
        for (int i = 0; i < full; i += w) TS.Store(row + i, TS.Multiply(TS.Load(row + i), inverse));
        if (tail > 0) TS.StorePartial(row + full, TS.Multiply(TS.LoadPartial(row + full, tail), inverse), tail);
    }

    // 0, 1, 2, … per lane.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Lanes<TS, TV>() where TS : struct, ISimd<TV> where TV : struct
    {
        float* lanes = stackalloc float[TS.Width];
        for (int i = 0; i < TS.Width; i++) lanes[i] = i;
        return TS.Load(lanes);
    }

    // Horizontal max or sum of one register (once per row, so through memory).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Across<TS, TV>(TV v, int width, bool maximum) where TS : struct, ISimd<TV> where TV : struct
    {
        float* lanes = stackalloc float[width];
        TS.Store(lanes, v);
        float result = lanes[0];
        for (int i = 1; i < width; i++) result = maximum ? MathF.Max(result, lanes[i]) : result + lanes[i];
        return result;
    }
}
