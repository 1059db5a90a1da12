using System.Runtime.CompilerServices;
using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>
/// The exact GELU of <see cref="GeluKernel"/> per lane, written once over <see cref="ISimd{TV}"/> for every instruction set.
/// </summary>
internal static class GeluMath<TS, TV> where TS : struct, ISimd<TV> where TV : struct
{
    // Φ(±5.5) is 1 − 1.9e-8 and 1.9e-8: past the clamp Φ is constant to well below one fp32 ulp of x.
    private const float Clamp = 5.5f;

    // Φ(x) − ½ = x·P(x²)/Q(x²) on [−5.5, 5.5]: a rational minimax fit made for this kernel (iteratively reweighted
    // least squares in 40-digit arithmetic), absolute error 2.0e-8 before fp32 rounding; coefficients rounded once.
    private static ReadOnlySpan<float> Numerator =>
    [
        3.989421427e-01f, 3.591905162e-02f, 4.508950748e-03f, 1.703395392e-04f, 3.240628985e-06f, -2.208139271e-08f, 1.117589771e-10f,
    ];

    private static ReadOnlySpan<float> Denominator =>
    [
        1f, 2.567002773e-01f, 2.908963338e-02f, 1.830448513e-03f, 6.231451698e-05f,
    ];

    /// <summary>x·Φ(x) = ½·x·(1 + erf(x/√2)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Gelu(TV x) => TS.MultiplyAdd(x, PhiMinusHalf(x), TS.Multiply(x, TS.Splat(0.5f)));

    /// <summary>Φ(x) − ½ per lane (the standard normal CDF less one half).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV PhiMinusHalf(TV x)
    {
        var xc = TS.Min(TS.Max(x, TS.Splat(-Clamp)), TS.Splat(Clamp));
        var w = TS.Multiply(xc, xc);
        var p = Numerator;
        var num = TS.Splat(p[^1]);
        for (int k = p.Length - 2; k >= 0; k--) num = TS.MultiplyAdd(num, w, TS.Splat(p[k]));
        var q = Denominator;
        var den = TS.Splat(q[^1]);
        for (int k = q.Length - 2; k >= 0; k--) den = TS.MultiplyAdd(den, w, TS.Splat(q[k]));
        return TS.Divide(TS.Multiply(xc, num), den);
    }
}
