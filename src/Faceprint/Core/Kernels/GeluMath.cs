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
    // Written out as constants, not looped over a table: the JIT then keeps every coefficient in a register across
    // the caller's loop instead of indexing and broadcasting it per vector.
    private const float P0 = 3.989421427e-01f, P1 = 3.591905162e-02f, P2 = 4.508950748e-03f, P3 = 1.703395392e-04f,
        P4 = 3.240628985e-06f, P5 = -2.208139271e-08f, P6 = 1.117589771e-10f;

    private const float Q1 = 2.567002773e-01f, Q2 = 2.908963338e-02f, Q3 = 1.830448513e-03f, Q4 = 6.231451698e-05f;

    /// <summary>x·Φ(x) = ½·x·(1 + erf(x/√2)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Gelu(TV x) => TS.MultiplyAdd(x, PhiMinusHalf(x), TS.Multiply(x, TS.Splat(0.5f)));

    /// <summary>Φ(x) − ½ per lane (the standard normal CDF less one half).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV PhiMinusHalf(TV x)
    {
        var xc = TS.Min(TS.Max(x, TS.Splat(-Clamp)), TS.Splat(Clamp));
        var w = TS.Multiply(xc, xc);
        var num = TS.MultiplyAdd(TS.Splat(P6), w, TS.Splat(P5));
        num = TS.MultiplyAdd(num, w, TS.Splat(P4));
        num = TS.MultiplyAdd(num, w, TS.Splat(P3));
        num = TS.MultiplyAdd(num, w, TS.Splat(P2));
        num = TS.MultiplyAdd(num, w, TS.Splat(P1));
        num = TS.MultiplyAdd(num, w, TS.Splat(P0));
        var den = TS.MultiplyAdd(TS.Splat(Q4), w, TS.Splat(Q3));
        den = TS.MultiplyAdd(den, w, TS.Splat(Q2));
        den = TS.MultiplyAdd(den, w, TS.Splat(Q1));
        den = TS.MultiplyAdd(den, w, TS.Splat(1f));
        return TS.Divide(TS.Multiply(xc, num), den);
    }
}
