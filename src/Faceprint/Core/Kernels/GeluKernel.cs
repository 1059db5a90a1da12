using System.Numerics;

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
public static class GeluKernel
{
    private const float SeriesLimit = 0.75f;
    private const float ClampA = 9f;
    private const float InvSqrt2 = 0.70710678118654752f;

    // t = 1/(1 + a/2) runs over [TLow, THigh] for a ∈ [0.75, 9]; u maps it onto the Chebyshev interval [−1, 1].
    private const float TLow = 2f / 11f;
    private const float THigh = 8f / 11f;
    private const float UScale = 2f / (THigh - TLow);
    private const float UOffset = (THigh + TLow) / (THigh - TLow);

    private static ReadOnlySpan<float> Chebyshev =>
    [
        0.2514924846081212f, 0.2192984892604447f, 0.033063077978953664f, 0.0030342121480989395f,
        6.821494518397785e-05f, -1.7911860121818758e-05f, -1.1016047482548252e-06f, 1.7611233469813636e-07f,
        1.1299667981394071e-08f, -2.5749816411069215e-09f, -6.015746639257782e-11f, 4.311449837192856e-11f,
    ];

    private static readonly float[] Series = MaclaurinCoefficients(10);

    /// <summary>Applies GELU in place.</summary>
    public static void Apply(Span<float> data) => Apply(data, data);

    /// <summary>Writes GELU(<paramref name="input"/>) to <paramref name="output"/> (same length; may alias).</summary>
    public static void Apply(ReadOnlySpan<float> input, Span<float> output)
    {
        if (output.Length < input.Length) throw new ArgumentException("output shorter than input");
        int width = Vector<float>.Count, i = 0;
        for (; i + width <= input.Length; i += width) Gelu(new Vector<float>(input.Slice(i))).CopyTo(output.Slice(i));
        if (i == input.Length) return;
        // The tail goes through the same vector code so every element sees one formula.
        Span<float> tail = stackalloc float[width];
        tail.Clear();
        input[i..].CopyTo(tail);
        Gelu(new Vector<float>(tail)).CopyTo(tail);
        tail[..(input.Length - i)].CopyTo(output[i..]);
    }

    /// <summary>GELU of one vector.</summary>
    public static Vector<float> Gelu(Vector<float> x) => new Vector<float>(0.5f) * x * OnePlusErf(x * InvSqrt2);

    /// <summary>1 + erf(z) per lane.</summary>
    internal static Vector<float> OnePlusErf(Vector<float> z)
    {
        var a = Vector.Min(Vector.Abs(z), new Vector<float>(ClampA));
        var small = Vector<float>.One + z * SeriesOverZ(z * z);
        var complement = ScaledErfc(Vector.Max(a, new Vector<float>(SeriesLimit))) * VectorMath.Exp(-(a * a));
        var large = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(z, Vector<float>.Zero), new Vector<float>(2f) - complement, complement);
        return Vector.ConditionalSelect(Vector.LessThan(a, new Vector<float>(SeriesLimit)), small, large);
    }

    /// <summary>erf(z)/z as a polynomial in w = z² (Horner with fused multiply-adds).</summary>
    private static Vector<float> SeriesOverZ(Vector<float> w)
    {
        var coefficients = Series;
        var sum = new Vector<float>(coefficients[^1]);
        for (int n = coefficients.Length - 2; n >= 0; n--) sum = Vector.FusedMultiplyAdd(sum, w, new Vector<float>(coefficients[n]));
        return sum;
    }

    /// <summary>exp(a²)·erfc(a) for 0.75 ≤ a ≤ 9 by Clenshaw summation of the Chebyshev series.</summary>
    private static Vector<float> ScaledErfc(Vector<float> a)
    {
        var t = Vector<float>.One / (Vector<float>.One + a * 0.5f);
        var u = Vector.FusedMultiplyAdd(t, new Vector<float>(UScale), new Vector<float>(-UOffset));
        var twoU = u + u;
        var coefficients = Chebyshev;
        Vector<float> b1 = Vector<float>.Zero, b2 = Vector<float>.Zero;
        for (int j = coefficients.Length - 1; j >= 1; j--)
        {
            var next = Vector.FusedMultiplyAdd(twoU, b1, new Vector<float>(coefficients[j]) - b2);
            b2 = b1;
            b1 = next;
        }
        return Vector.FusedMultiplyAdd(u, b1, new Vector<float>(coefficients[0]) - b2);
    }

    /// <summary>2/√π·(−1)ⁿ/(n!(2n+1)) for n &lt; <paramref name="terms"/>, computed in double.</summary>
    private static float[] MaclaurinCoefficients(int terms)
    {
        var c = new float[terms];
        double factorial = 1;
        for (int n = 0; n < terms; n++)
        {
            if (n > 0) factorial *= n;
            c[n] = (float)(2 / Math.Sqrt(Math.PI) * (n % 2 == 0 ? 1 : -1) / (factorial * (2 * n + 1)));
        }
        return c;
    }
}
