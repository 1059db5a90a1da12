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
/// 1 + erf(z) is evaluated in two regimes chosen per lane, each well conditioned in fp32:
/// for |z| &lt; 0.75 the Maclaurin series erf(z) = z·Σₙ cₙ·z²ⁿ, cₙ = 2/√π·(−1)ⁿ/(n!(2n+1)), ten terms (truncation
/// below 1e-9); for |z| ≥ 0.75 the complement erfc(a) = g(a)·e^(−a²), a = |z|, where g(a) = e^(a²)·erfc(a) is a
/// smooth bounded function approximated by a 12-term Chebyshev interpolant in t = 1/(1 + a/2) over a ∈ [0.75, 9]
/// (fitted for this kernel, relative error below 1e-9 in double), and 1 + erf is 2 − erfc for z &gt; 0 and erfc(a)
/// for z &lt; 0, so the negative side never cancels. Beyond a = 9, e^(−a²) &lt; 1e-35: clamping there is invisible
/// in fp32. Absolute error of 1 + erf: ~1.3e-7, about one fp32 ulp of values in [1, 2).
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

    /// <summary>GELU of one vector.</summary>
    public static Vector<float> Gelu(Vector<float> x) => GeluMath<PortableSimd, Vector<float>>.Gelu(x);

    /// <summary>1 + erf(z) per lane.</summary>
    internal static Vector<float> OnePlusErf(Vector<float> z) => GeluMath<PortableSimd, Vector<float>>.OnePlusErf(z);

    /// <summary>GELU of <paramref name="length"/> floats (the GEMM applies it to each block of rows it has just written).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Rows<TS, TV>(float* x, float* y, int length) where TS : struct, ISimd<TV> where TV : struct
    {
        int width = TS.Width, i = 0;
        for (; i + width <= length; i += width) TS.Store(y + i, GeluMath<TS, TV>.Gelu(TS.Load(x + i)));
        // The tail goes through the same vector code so every element sees one formula.
        if (i < length) TS.StorePartial(y + i, GeluMath<TS, TV>.Gelu(TS.LoadPartial(x + i, length - i)), length - i);
    }
}
