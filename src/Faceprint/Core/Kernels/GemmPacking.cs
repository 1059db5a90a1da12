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
        // Transposed source (column j contiguous in memory): read it in order, scatter into the panels.
        for (int j = 0; j < n; j++)
        {
            float* column = src + (nint)j * colStride;
            float* dst = packed + (nint)(j / pw) * k * pw + j % pw;
            for (int i = 0; i < k; i++) dst[(nint)i * pw] = scale * column[(nint)i * rowStride];
        }
    }
}
