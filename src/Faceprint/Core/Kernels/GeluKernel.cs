using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>
/// GELU in its exact form, x·Φ(x) = ½·x·(1 + erf(x/√2)), as PyTorch's default <c>nn.GELU</c> computes it (not
/// the tanh approximation, which differs by up to ~5e-4 and would break parity with trained weights).
/// </summary>
/// <remarks>
/// Φ(x) − ½ is one rational function x·P(x²)/Q(x²) (degrees 13 over 8 in x) on x ∈ [−5.5, 5.5], with x clamped
/// there; both ends are within 2e-8 of Φ's limits, so the clamp is invisible in fp32. That is one branch-free
/// chain of 10 fused multiply-adds and a division per vector, no exp and no per-lane regime select, because GELU
/// runs on every hidden value of every FFN. |GELU − exact| ≤ 1.6e-7·max(1, |x|) in fp32, about one ulp of the result.
/// </remarks>
public static unsafe class GeluKernel
{
    /// <summary>Applies GELU in place.</summary>
    public static void Apply(Span<float> data) => Apply(data, data);

    /// <summary>Writes GELU(<paramref name="input"/>) to <paramref name="output"/> (same length; may alias).</summary>
    public static void Apply(ReadOnlySpan<float> input, Span<float> output) => Apply(input, output, KernelIsas.Best);

    /// <summary>As <see cref="Apply(ReadOnlySpan{float}, Span{float})"/> on a given instruction set (tests compare them).</summary>
    public static void Apply(ReadOnlySpan<float> input, Span<float> output, KernelIsa isa)
    {
        if (output.Length < input.Length) throw new ArgumentException("output shorter than input");
        fixed (float* x = input)
        fixed (float* y = output)
        {
            switch (isa)
            {
                case KernelIsa.Avx512: Rows<Avx512Simd, Vector512<float>>(x, y, input.Length); break;
                case KernelIsa.Avx2: Rows<Avx2Simd, Vector256<float>>(x, y, input.Length); break;
                default: Rows<PortableSimd, Vector<float>>(x, y, input.Length); break;
            }
        }
    }

    /// <summary>
    /// GELU in place on <paramref name="rows"/> rows of <paramref name="cols"/> floats, <paramref name="ldc"/> apart
    /// (<see cref="Block{TS, TV}"/> on a given instruction set; tests compare it with <see cref="Apply(ReadOnlySpan{float}, Span{float}, KernelIsa)"/> per row).
    /// </summary>
    internal static void Block(Span<float> data, int ldc, int rows, int cols, KernelIsa isa)
    {
        if (rows <= 0 || cols <= 0) return;
        if (cols > ldc || (long)(rows - 1) * ldc + cols > data.Length) throw new ArgumentException("block does not fit the buffer");
        fixed (float* c = data)
        {
            switch (isa)
            {
                case KernelIsa.Avx512: Block<Avx512Simd, Vector512<float>>(c, ldc, rows, cols); break;
                case KernelIsa.Avx2: Block<Avx2Simd, Vector256<float>>(c, ldc, rows, cols); break;
                default: Block<PortableSimd, Vector<float>>(c, ldc, rows, cols); break;
            }
        }
    }

    /// <summary>GELU of one vector.</summary>
    public static Vector<float> Gelu(Vector<float> x) => GeluMath<PortableSimd, Vector<float>>.Gelu(x);

    /// <summary>Φ(x) − ½ per lane (the standard normal CDF less one half).</summary>
    internal static Vector<float> PhiMinusHalf(Vector<float> x) => GeluMath<PortableSimd, Vector<float>>.PhiMinusHalf(x);

    /// <summary>GELU of <paramref name="length"/> floats (the GEMM applies it to each block of rows it has just written).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Rows<TS, TV>(float* x, float* y, int length) where TS : struct, ISimd<TV> where TV : struct
    {
        int width = TS.Width, i = 0;
        for (; i + width <= length; i += width) TS.Store(y + i, GeluMath<TS, TV>.Gelu(TS.Load(x + i)));
        // The tail goes through the same vector code so every element sees one formula.
        if (i < length) TS.StorePartial(y + i, GeluMath<TS, TV>.Gelu(TS.LoadPartial(x + i, length - i)), length - i);
    }

    /// <summary>
    /// GELU in place on a block of <paramref name="rows"/> rows of <paramref name="cols"/> floats, <paramref name="ldc"/>
    /// apart: a GEMM's row tile in the column panels it has just finished. One call walks every row, so a 12-row tile of one
    /// 32-column panel (batch-1 FaceLiVT's 7×7 and 4×4 stages) no longer pays a call and the coefficient set-up per row
    /// for two vectors of work. Same formula per element as <see cref="Rows{TS, TV}"/>, so the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Block<TS, TV>(float* c, nint ldc, int rows, int cols) where TS : struct, ISimd<TV> where TV : struct
    {
        if (ldc == cols)
        {
            Rows<TS, TV>(c, c, rows * cols);
            return;
        }
        int width = TS.Width, full = cols - cols % width, tail = cols - full;
        for (int r = 0; r < rows; r++, c += ldc)
        {
            for (int i = 0; i < full; i += width) TS.Store(c + i, GeluMath<TS, TV>.Gelu(TS.Load(c + i)));
            if (tail > 0) TS.StorePartial(c + full, GeluMath<TS, TV>.Gelu(TS.LoadPartial(c + full, tail)), tail);
        }
    }
}
