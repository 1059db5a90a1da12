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
        // Transposed source (column j contiguous in memory): a register's worth of columns at a time by a strided gather.
        int w = KernelIsas.Width(isa), gathered = 0;
        if (isa != KernelIsa.Portable && (long)(w - 1) * colStride <= int.MaxValue)
        {
            gathered = n / w * w;
            for (int j = 0; j < gathered; j += w)
                Gather(src + (nint)j * colStride, rowStride, colStride, k, scale, packed + (nint)(j / pw) * k * pw + j % pw, pw, isa);
        }
        // The rest (a tail narrower than a register, or all of it on the portable path): read in order, scatter into the panels.
        for (int j = gathered; j < n; j++)
        {
            float* column = src + (nint)j * colStride;
            float* dst = packed + (nint)(j / pw) * k * pw + j % pw;
            for (int i = 0; i < k; i++) dst[(nint)i * pw] = scale * column[(nint)i * rowStride];
        }
    }

    /// <summary>dst[i·pw + lane] = scale·src[i·rowStride + lane·colStride] for one register's lanes, i &lt; k.</summary>
    private static void Gather(float* src, int rowStride, int colStride, int k, float scale, float* dst, int pw, KernelIsa isa)
    {
        // .NET exposes AVX2's 8-lane gather only: an AVX-512 register takes two.
        var index = Vector256<int>.Indices * colStride;
        var factor = Vector256.Create(scale);
        float* upper = src + (nint)8 * colStride;
        for (int i = 0; i < k; i++)
        {
            nint row = (nint)i * rowStride;
            (Avx2.GatherVector256(src + row, index, 4) * factor).Store(dst + (nint)i * pw);
            if (isa == KernelIsa.Avx512) (Avx2.GatherVector256(upper + row, index, 4) * factor).Store(dst + (nint)i * pw + 8);
        }
    }
}
