using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>Transcendental functions per lane, written once over <see cref="ISimd{TV}"/> for every instruction set.</summary>
internal static class SimdMath<TS, TV> where TS : struct, ISimd<TV> where TV : struct
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2High = 0.693145751953125f; // ln 2 with its low 12 mantissa bits zero, so n·Ln2High is exact
    private const float Ln2Low = 1.42860682030941723e-6f;
    private const float RoundingShift = 12582912f; // 1.5·2²³: adding and subtracting it rounds a float to an integer

    /// <summary>
    /// e^x per lane for x ≤ 0 (softmax's max-subtracted scores), relative error ~2e-7: x = n·ln2 + r with
    /// |r| ≤ ln2/2 (Cody–Waite split of ln 2), e^r as 1 + r·q(r) with q a degree-4 polynomial interpolating (e^r − 1)/r at
    /// the Chebyshev nodes of [−ln2/2, ln2/2] (2.1e-7 with its float coefficients), times 2ⁿ. Inputs below −87 are clamped
    /// there, so results stay normal (e^−87 ≈ 1.6e-38 stands in for anything smaller); e^0 is exactly 1, so no value
    /// exceeds 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV ExpOfNonPositive(TV x)
    {
        x = TS.Max(x, TS.Splat(-87f));
        var shift = TS.Splat(RoundingShift);
        var n = TS.Subtract(TS.MultiplyAdd(x, TS.Splat(Log2E), shift), shift);
        var r = TS.MultiplyAdd(n, TS.Splat(-Ln2High), x);
        r = TS.MultiplyAdd(n, TS.Splat(-Ln2Low), r);
        var p = TS.MultiplyAdd(TS.Splat(0.008363173343241215f), r, TS.Splat(0.04187564551830292f));
        p = TS.MultiplyAdd(p, r, TS.Splat(0.16666577756404877f));
        p = TS.MultiplyAdd(p, r, TS.Splat(0.4999937117099762f));
        p = TS.MultiplyAdd(p, r, TS.Splat(1f));
        p = TS.MultiplyAdd(p, r, TS.Splat(1f));
        // AVX-512's vscalefps multiplies by 2ⁿ in one instruction instead of building 2ⁿ in the exponent bits (four).
        if (typeof(TV) == typeof(Vector512<float>) && Avx512F.IsSupported)
        {
            var scaled = Avx512F.Scale(Unsafe.As<TV, Vector512<float>>(ref p), Unsafe.As<TV, Vector512<float>>(ref n));
            return Unsafe.As<Vector512<float>, TV>(ref scaled);
        }
        return TS.Multiply(p, TS.Pow2(n));
    }
}
