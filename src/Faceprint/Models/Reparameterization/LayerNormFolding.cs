namespace Faceprint.Models.Reparameterization;

/// <summary>
/// Folds a LayerNorm's affine (γ, β over D channels) into the linear that reads its output, leaving a bare
/// standardisation: Σᵢ w[o,i]·(x̂ᵢ·γ + β) = Σᵢ (w[o,i]·γ)·x̂ᵢ + Σᵢ w[o,i]·β. The linear may read several tokens
/// flattened token-major (in = k·D, the ViT feature head), so channel i uses γ[i mod D].
/// </summary>
internal static class LayerNormFolding
{
    /// <summary>Folded weight [out, in] and bias [out]; <paramref name="bias"/> empty means the linear had none.</summary>
    public static (float[] Weight, float[] Bias) IntoFollowing(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> beta, int outFeatures)
    {
        int inFeatures = weight.Length / outFeatures, d = gamma.Length;
        var w = new float[weight.Length];
        var b = new float[outFeatures];
        for (int o = 0; o < outFeatures; o++)
        {
            double sum = bias.IsEmpty ? 0 : bias[o];
            for (int i = 0; i < inFeatures; i++)
            {
                float wi = weight[o * inFeatures + i];
                w[o * inFeatures + i] = wi * gamma[i % d];
                sum += (double)wi * beta[i % d];
            }
            b[o] = (float)sum;
        }
        return (w, b);
    }
}
