namespace Faceprint.Models.Reparameterization;

/// <summary>
/// Composes two linear maps with nothing between them into one: y = W₂(W₁x + b₁) + b₂ = (W₂W₁)x + (W₂b₁ + b₂).
/// Once BatchNorm is folded, a deploy graph can hold such a chain (FaceLiVT's PatchMerging projection and the FFN
/// expansion after it); composing lets the second map read the first one's input, which is narrower there.
/// </summary>
internal static class LinearComposition
{
    /// <summary>
    /// Returns W₂W₁ [out, in] and W₂b₁ + b₂ [out] for <paramref name="inner"/> [mid, in] with bias [mid] and
    /// <paramref name="outer"/> [out, mid] with bias [out] (1×1 conv kernels have the same layout). Sums run in double,
    /// so the composed weights round once.
    /// </summary>
    public static (float[] Weight, float[] Bias) Compose(ReadOnlySpan<float> inner, ReadOnlySpan<float> innerBias, ReadOnlySpan<float> outer,
        ReadOnlySpan<float> outerBias)
    {
        int mid = innerBias.Length, outputs = outerBias.Length;
        if (mid == 0 || inner.Length % mid != 0) throw new ArgumentException($"inner weight of {inner.Length} values does not fit {mid} outputs");
        if (outer.Length != outputs * mid) throw new ArgumentException($"outer weight has {outer.Length} values, expected {outputs}x{mid}");
        int inputs = inner.Length / mid;
        var weight = new float[outputs * inputs];
        var bias = new float[outputs];
        var row = new double[inputs];
        for (int o = 0; o < outputs; o++)
        {
            Array.Clear(row);
            double b = outerBias[o];
            for (int m = 0; m < mid; m++)
            {
                double w = outer[o * mid + m];
                b += w * innerBias[m];
                var source = inner.Slice(m * inputs, inputs);
                for (int i = 0; i < inputs; i++) row[i] += w * source[i];
            }
            for (int i = 0; i < inputs; i++) weight[o * inputs + i] = (float)row[i];
            bias[o] = (float)b;
        }
        return (weight, bias);
    }
}
