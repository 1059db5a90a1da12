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

    // t = 1/(1 + a/2) runs over [TLow, THigh] for a ∈ [0.75, 9]; u maps it onto the Chebyshev interval [−1, 1].
    private const float TLow = 2f / 11f;
    private const float THigh = 8f / 11f;
    private const float UScale = 2f / (THigh - TLow);
    private const float UOffset = (THigh + TLow) / (THigh - TLow);

    // The 12-term Chebyshev interpolant of g (in u) expanded into powers of u, so it runs as one Horner chain of
    // fused multiply-adds (half the operations of Clenshaw's recurrence); coefficients rounded once from double.
    private static ReadOnlySpan<float> Powers =>
    [
        0.21849873661994934f, 0.2101050317287445f, 0.0655602440237999f, 0.012505266815423965f,
        0.0006004286115057766f, -0.00030747984419576824f, -3.821144491666928e-05f, 1.2875789252575487e-05f,
        1.523359060229268e-06f, -7.806057169545966e-07f, -3.080062427329722e-08f, 4.4149246036795375e-08f,
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

    /// <summary>1 + erf(z) per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV OnePlusErf(TV z)
    {
        var a = TS.Min(TS.Abs(z), TS.Splat(ClampA));
        var small = TS.MultiplyAdd(z, SeriesOverZ(TS.Multiply(z, z)), TS.Splat(1f));
        var complement = TS.Multiply(ScaledErfc(TS.Max(a, TS.Splat(SeriesLimit))), SimdMath<TS, TV>.Exp(TS.Subtract(TS.Splat(0f), TS.Multiply(a, a))));
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

    /// <summary>exp(a²)·erfc(a) for 0.75 ≤ a ≤ 9: the Chebyshev interpolant in u, evaluated by Horner's rule.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV ScaledErfc(TV a)
    {
        var one = TS.Splat(1f);
        var t = TS.Divide(one, TS.MultiplyAdd(a, TS.Splat(0.5f), one));
        var u = TS.MultiplyAdd(t, TS.Splat(UScale), TS.Splat(-UOffset));
        var c = Powers;
        var sum = TS.Splat(c[^1]);
        for (int k = c.Length - 2; k >= 0; k--) sum = TS.MultiplyAdd(sum, u, TS.Splat(c[k]));
        return sum;
    }
}
