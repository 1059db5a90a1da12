using System.Numerics;

namespace Faceprint.Core.Kernels;

/// <summary>
/// GELU in its exact form, x·Φ(x) = ½·x·(1 + erf(x/√2)), as PyTorch's default <c>nn.GELU</c> computes it (not
/// the tanh approximation, which differs by up to ~5e-4 and would break parity with trained weights).
/// </summary>
/// <remarks>
/// erf is evaluated through the scaled complement g(a) = exp(a²)·erfc(a), a = |x|/√2, which is smooth and
/// bounded on [0, ∞); 1 + erf(z) is then 2 − g·e^(−a²) for z ≥ 0 and g·e^(−a²) for z &lt; 0, so the negative
/// side never cancels. g is a 12-term Chebyshev interpolant in t = 1/(1 + a/2) over a ∈ [0, 9] (fitted for this
/// kernel; relative error 6e-9 in double). Beyond a = 9, e^(−a²) is below 1e-35, so clamping changes nothing
/// visible in fp32. Overall absolute error of erf in fp32: a few 1e-8.
/// </remarks>
public static class GeluKernel
{
    private const float ClampA = 9f;
    private const float InvSqrt2 = 0.70710678118654752f;

    // t = 1/(1 + a/2) runs over [TLow, 1]; u maps it onto the Chebyshev interval [-1, 1].
    private const float TLow = 2f / 11f;
    private const float UScale = 2f / (1f - TLow);
    private const float UOffset = (1f + TLow) / (1f - TLow);

    private static ReadOnlySpan<float> Chebyshev =>
    [
        0.4364883281702394f, 0.4588934683802449f, 0.09480929866781186f, 0.010094874768127341f,
        -0.00014527726805831548f, -0.00014494883253239957f, 1.6739134774656124e-06f, 2.7987337084499353e-06f,
        -1.7048697285050132e-07f, -5.565609534988654e-08f, 9.3524857424504e-09f, 5.337131246211749e-10f,
    ];

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
    public static Vector<float> Gelu(Vector<float> x)
    {
        var z = x * InvSqrt2;
        var a = Vector.Min(Vector.Abs(z), new Vector<float>(ClampA));
        var scaled = ScaledErfc(a) * Vector.Exp(-(a * a));
        var onePlusErf = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(z, Vector<float>.Zero),
            new Vector<float>(2f) - scaled, scaled);
        return new Vector<float>(0.5f) * x * onePlusErf;
    }

    /// <summary>exp(a²)·erfc(a) for 0 ≤ a ≤ 9 by Clenshaw summation of the Chebyshev series.</summary>
    private static Vector<float> ScaledErfc(Vector<float> a)
    {
        var t = Vector<float>.One / (Vector<float>.One + a * 0.5f);
        var u = t * UScale - new Vector<float>(UOffset);
        var twoU = u + u;
        var coefficients = Chebyshev;
        Vector<float> b1 = Vector<float>.Zero, b2 = Vector<float>.Zero;
        for (int j = coefficients.Length - 1; j >= 1; j--)
        {
            var next = twoU * b1 - b2 + new Vector<float>(coefficients[j]);
            b2 = b1;
            b1 = next;
        }
        return u * b1 - b2 + new Vector<float>(coefficients[0]);
    }
}
