using System.Runtime.CompilerServices;
using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>
/// The exact GELU of <see cref="GeluKernel"/> per lane, written once over <see cref="ISimd{TV}"/> for every instruction set.
/// </summary>
internal static class GeluMath<TS, TV> where TS : struct, ISimd<TV> where TV : struct
{
    private const float SeriesLimit = 0.75f;
    private const float ClampA = 9f;
    private const float InvSqrt2 = 0.70710678118654752f;

    // t = 1/(1 + a/2) runs over [TLow, 1] for a ∈ [0, 9]; u maps it onto [−1, 1].
    private const float TLow = 2f / 11f;
    private const float UScale = 2f / (1f - TLow);
    private const float UOffset = (1f + TLow) / (1f - TLow);

    // ln(erfc(a)/t) + a² as a polynomial in u, lowest power first: the degree-10 Chebyshev interpolant of that smooth
    // function on [TLow, 1] (fitted for this kernel in double precision), expanded to powers of u for Horner's rule.
    private static ReadOnlySpan<float> Exponent =>
    [
        -0.548221102510071f, 0.5604713150085047f, 0.013626215176348414f, -0.027952495913088914f,
        -0.0006582311659283457f, 0.0033523832006320154f, -0.0003114291825512665f, -0.00045379509304346107f,
        0.00012485091585936269f, 4.3489529223899645e-05f, -2.1200736692993484e-05f,
    ];

    // 2/√π·(−1)ⁿ/(n!(2n+1)) for n = 0..9 (double-precision values rounded once).
    private static ReadOnlySpan<float> Series =>
    [
        1.1283791670955126f, -0.37612638903183754f, 0.11283791670955126f, -0.026866170645131252f,
        0.005223977625442188f, -8.548327023450853e-4f, 1.2055332981789664e-4f, -1.492565035840625e-5f,
        1.6462114365889246e-6f, -1.6365844691234924e-7f,
    ];

    /// <summary>½·x·(1 + erf(x/√2)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Gelu(TV x) => TS.Multiply(TS.Multiply(TS.Splat(0.5f), x), OnePlusErf(TS.Multiply(x, TS.Splat(InvSqrt2))));

    /// <summary>
    /// 1 + erf(z) per lane: for |z| &lt; 0.75 the series, else erfc(|z|) = t·e^(P(u) − z²) and 2 − erfc for z &gt; 0
    /// (near 0 the exp's own relative error, ~2e-7, would show undamped, hence the series there).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV OnePlusErf(TV z)
    {
        var small = TS.MultiplyAdd(z, SeriesOverZ(TS.Multiply(z, z)), TS.Splat(1f));
        var a = TS.Min(TS.Abs(z), TS.Splat(ClampA));
        var one = TS.Splat(1f);
        var t = TS.Divide(one, TS.MultiplyAdd(a, TS.Splat(0.5f), one));
        var u = TS.MultiplyAdd(t, TS.Splat(UScale), TS.Splat(-UOffset));
        var c = Exponent;
        var p = TS.Splat(c[^1]);
        for (int n = c.Length - 2; n >= 0; n--) p = TS.MultiplyAdd(p, u, TS.Splat(c[n]));
        var complement = TS.Multiply(t, SimdMath<TS, TV>.Exp(TS.MultiplyAdd(TS.Subtract(TS.Splat(0f), a), a, p)));
        var large = TS.Select(TS.LessThan(z, TS.Splat(0f)), complement, TS.Subtract(TS.Splat(2f), complement));
        return TS.Select(TS.LessThan(a, TS.Splat(SeriesLimit)), small, large);
    }

    /// <summary>erf(z)/z as a polynomial in w = z² (Horner with fused multiply-adds).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV SeriesOverZ(TV w)
    {
        var c = Series;
        var sum = TS.Splat(c[^1]);
        for (int n = c.Length - 2; n >= 0; n--) sum = TS.MultiplyAdd(sum, w, TS.Splat(c[n]));
        return sum;
    }
}
