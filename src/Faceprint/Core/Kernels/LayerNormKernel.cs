using System.Numerics;

namespace Faceprint.Core.Kernels;

/// <summary>
/// LayerNorm over the channels of each token (NHWC rows of C values): (x − mean)/√(var + eps)·γ + β with the
/// biased variance, as <c>nn.LayerNorm</c>; empty γ and β mean no affine (a reparameterized graph folds it into
/// the next linear). Two passes (mean, then centred squares) keep fp32 accurate.
/// </summary>
public static class LayerNormKernel
{
    /// <summary>Normalises rows [rowStart, rowEnd) of <paramref name="input"/> into <paramref name="output"/>.</summary>
    public static void Run(ReadOnlySpan<float> input, Span<float> output, int c, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        float epsilon, int rowStart, int rowEnd)
    {
        for (int row = rowStart; row < rowEnd; row++)
        {
            var x = input.Slice(row * c, c);
            var y = output.Slice(row * c, c);
            float mean = VectorMath.Sum(x) / c;
            float inverse = 1f / MathF.Sqrt(VectorMath.SumOfSquaredDeviations(x, mean) / c + epsilon);
            if (gamma.IsEmpty) Standardize(x, y, mean, inverse);
            else Normalize(x, y, mean, inverse, gamma, beta);
        }
    }

    /// <summary>y = (x − mean)·inverse over one row.</summary>
    private static void Standardize(ReadOnlySpan<float> x, Span<float> y, float mean, float inverse)
    {
        var m = new Vector<float>(mean);
        var s = new Vector<float>(inverse);
        int j = 0;
        for (; j + Vector<float>.Count <= x.Length; j += Vector<float>.Count) ((new Vector<float>(x.Slice(j)) - m) * s).CopyTo(y.Slice(j));
        for (; j < x.Length; j++) y[j] = (x[j] - mean) * inverse;
    }

    /// <summary>y = (x − mean)·inverse·γ + β over one row of channels.</summary>
    internal static void Normalize(ReadOnlySpan<float> x, Span<float> y, float mean, float inverse, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta)
    {
        var m = new Vector<float>(mean);
        var s = new Vector<float>(inverse);
        int j = 0;
        for (; j + Vector<float>.Count <= x.Length; j += Vector<float>.Count)
            ((new Vector<float>(x.Slice(j)) - m) * s * new Vector<float>(gamma.Slice(j)) + new Vector<float>(beta.Slice(j))).CopyTo(y.Slice(j));
        for (; j < x.Length; j++) y[j] = (x[j] - mean) * inverse * gamma[j] + beta[j];
    }
}
