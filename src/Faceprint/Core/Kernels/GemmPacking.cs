using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Faceprint.Core.Kernels;

/// <summary>
/// Packs a B operand made at run time into <see cref="GemmWeights"/>' panel layout (panels of two registers' width,
/// each K rows of that many columns, zero beyond N) in caller-owned scratch, so products of activations run on the
/// same register-tiled micro-kernel as the weights do.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>Floats a packed K×N operand takes on <paramref name="isa"/>.</summary>
    public static int Size(int k, int n, KernelIsa isa)
    {
        int pw = 2 * KernelIsas.Width(isa);
        return (n + pw - 1) / pw * pw * k;
    }

    /// <summary>
    /// Packs B[i, j] = <paramref name="scale"/> · src[i·<paramref name="rowStride"/> + j·<paramref name="colStride"/>] for
    /// i &lt; <paramref name="k"/>, j &lt; <paramref name="n"/> (a transposed source is colStride ≠ 1).
    /// </summary>
    public static void Pack(float* src, int rowStride, int colStride, int k, int n, float scale, float* packed, KernelIsa isa)
    {
        int pw = 2 * KernelIsas.Width(isa), panels = (n + pw - 1) / pw, last = (panels - 1) * pw;
        // Columns past N in the last panel are zero (the tile multiplies them; only their stores are masked).
        if (n - last < pw) new Span<float>(packed + (nint)last * k, k * pw).Clear();
        if (colStride == 1)
        {
            // Row-major source: each row of a panel is one contiguous run.
            for (int p = 0; p < panels; p++)
            {
                int first = p * pw, valid = Math.Min(pw, n - first);
                for (int i = 0; i < k; i++)
                {
                    var from = new ReadOnlySpan<float>(src + (nint)i * rowStride + first, valid);
                    var to = new Span<float>(packed + ((nint)p * k + i) * pw, valid);
                    from.CopyTo(to);
                    if (scale != 1f)
                        for (int j = 0; j < valid; j++) to[j] *= scale;
                }
            }
            return;
        }
        // Transposed source (column j contiguous in memory): 8×8 blocks transposed in registers where AVX is there.
        int blocked = 0;
        if (isa != KernelIsa.Portable && rowStride == 1)
        {
            blocked = n / 8 * 8;
            int rows = k / 8 * 8;
            for (int j = 0; j < blocked; j += 8)
            {
                float* columns = src + (nint)j * colStride;
                float* dst = packed + (nint)(j / pw) * k * pw + j % pw;
                for (int i = 0; i < rows; i += 8) Transpose8(columns + i, colStride, scale, dst + (nint)i * pw, pw);
                for (int i = rows; i < k; i++)
                    for (int t = 0; t < 8; t++) dst[(nint)i * pw + t] = scale * columns[(nint)t * colStride + i];
            }
        }
        // The rest (fewer than 8 columns, or all of it on the portable path): read in order, scatter into the panels.
        for (int j = blocked; j < n; j++)
        {
            float* column = src + (nint)j * colStride;
            float* dst = packed + (nint)(j / pw) * k * pw + j % pw;
            for (int i = 0; i < k; i++) dst[(nint)i * pw] = scale * column[(nint)i * rowStride];
        }
    }

    /// <summary>
    /// dst[d·pw + t] = scale·src[t·stride + d] for d, t &lt; 8: eight columns of 8 contiguous values become eight packed
    /// rows (unpack pairs, shuffle quads, swap 128-bit halves). Needs AVX.
    /// </summary>
    internal static void Transpose8(float* src, int stride, float scale, float* dst, int pw)
    {
        var r0 = Avx.LoadVector256(src);
        var r1 = Avx.LoadVector256(src + stride);
        var r2 = Avx.LoadVector256(src + 2 * (nint)stride);
        var r3 = Avx.LoadVector256(src + 3 * (nint)stride);
        var r4 = Avx.LoadVector256(src + 4 * (nint)stride);
        var r5 = Avx.LoadVector256(src + 5 * (nint)stride);
        var r6 = Avx.LoadVector256(src + 6 * (nint)stride);
        var r7 = Avx.LoadVector256(src + 7 * (nint)stride);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        var factor = Vector256.Create(scale);
        (Avx.Permute2x128(u0, u4, 0x20) * factor).Store(dst);
        (Avx.Permute2x128(u1, u5, 0x20) * factor).Store(dst + pw);
        (Avx.Permute2x128(u2, u6, 0x20) * factor).Store(dst + 2 * pw);
        (Avx.Permute2x128(u3, u7, 0x20) * factor).Store(dst + 3 * pw);
        (Avx.Permute2x128(u0, u4, 0x31) * factor).Store(dst + 4 * pw);
        (Avx.Permute2x128(u1, u5, 0x31) * factor).Store(dst + 5 * pw);
        (Avx.Permute2x128(u2, u6, 0x31) * factor).Store(dst + 6 * pw);
        (Avx.Permute2x128(u3, u7, 0x31) * factor).Store(dst + 7 * pw);
    }
}
