namespace Faceprint.Models.Reparameterization;

/// <summary>
/// Folds an inference-mode BatchNorm into the linear map next to it, so the deploy graph runs one conv or
/// linear instead of two steps.
/// </summary>
internal static class BatchNormFolding
{
    /// <summary>
    /// BN after a conv or linear whose weight is [out, …] (any trailing shape) and bias [out] (null = none):
    /// w' = w·s, b' = (b − mean)·s + β, s = γ/√(var + eps).
    /// </summary>
    public static (float[] Weight, float[] Bias) IntoPreceding(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, BatchNormTensors bn)
    {
        int outChannels = bn.Channels, perOutput = weight.Length / outChannels;
        var w = new float[weight.Length];
        var b = new float[outChannels];
        for (int o = 0; o < outChannels; o++)
        {
            double s = bn.Scale(o);
            for (int i = 0; i < perOutput; i++) w[o * perOutput + i] = (float)(weight[o * perOutput + i] * s);
            double before = bias.IsEmpty ? 0 : bias[o];
            b[o] = (float)((before - bn.Mean[o]) * s + bn.Beta[o]);
        }
        return (w, b);
    }

    /// <summary>
    /// BN before a linear [out, in] with bias [out]: the BN is x·s + t per input feature, so
    /// w'[o, i] = w[o, i]·s[i] and b'[o] = b[o] + Σᵢ w[o, i]·t[i].
    /// </summary>
    public static (float[] Weight, float[] Bias) IntoFollowing(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, BatchNormTensors bn)
    {
        int inFeatures = bn.Channels, outFeatures = weight.Length / inFeatures;
        var w = new float[weight.Length];
        var b = new float[outFeatures];
        var scale = new double[inFeatures];
        var shift = new double[inFeatures];
        for (int i = 0; i < inFeatures; i++)
        {
            scale[i] = bn.Scale(i);
            shift[i] = bn.Beta[i] - bn.Mean[i] * scale[i];
        }
        for (int o = 0; o < outFeatures; o++)
        {
            double sum = bias.IsEmpty ? 0 : bias[o];
            for (int i = 0; i < inFeatures; i++)
            {
                float wi = weight[o * inFeatures + i];
                w[o * inFeatures + i] = (float)(wi * scale[i]);
                sum += wi * shift[i];
            }
            b[o] = (float)sum;
        }
        return (w, b);
    }
}
