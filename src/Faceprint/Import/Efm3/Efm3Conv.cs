namespace Faceprint.Import.Efm3;

/// <summary>
/// One conv in train form, as EFM3 stores it: a bias-free kernel, BatchNorm γ, β, running mean and variance,
/// and the PReLU slopes when an activation follows.
/// </summary>
public sealed record Efm3Conv(Efm3ConvSpec Spec, float[] Weight, float[] Gamma, float[] Beta, float[] RunningMean, float[] RunningVar, float[]? Slope)
{
    /// <summary>BatchNorm epsilon FaceX trains and folds with.</summary>
    public const float BatchNormEpsilon = 1e-5f;

    /// <summary>
    /// Deploy form: w·γ/√(var+ε) per output channel and β − mean·γ/√(var+ε), computed in double so the fold
    /// itself adds no rounding beyond the final float store.
    /// </summary>
    public (float[] Weight, float[] Bias) Fold()
    {
        int outChannels = Spec.OutChannels, per = Spec.WeightCount / outChannels;
        var weight = new float[Weight.Length];
        var bias = new float[outChannels];
        for (int o = 0; o < outChannels; o++)
        {
            double scale = Gamma[o] / Math.Sqrt(RunningVar[o] + (double)BatchNormEpsilon);
            for (int i = o * per; i < (o + 1) * per; i++) weight[i] = (float)(Weight[i] * scale);
            bias[o] = (float)(Beta[o] - RunningMean[o] * scale);
        }
        return (weight, bias);
    }

    /// <summary>The tensors in file order: weight, γ, β, mean, var, then the slope if any.</summary>
    public IEnumerable<float[]> FileTensors()
    {
        yield return Weight;
        yield return Gamma;
        yield return Beta;
        yield return RunningMean;
        yield return RunningVar;
        if (Slope is not null) yield return Slope;
    }
}
