using Faceprint.Core.Weights;

namespace Faceprint.Models.Reparameterization;

/// <summary>One BatchNorm's inference statistics and affine, with the per-channel scale and shift they reduce to.</summary>
internal sealed record BatchNormTensors(float[] Gamma, float[] Beta, float[] Mean, float[] Variance, float Epsilon)
{
    /// <summary>Reads <c>{name}.weight/.bias/.running_mean/.running_var</c>.</summary>
    public static BatchNormTensors Read(WeightSet weights, string name, float epsilon) =>
        new(weights[name + ".weight"], weights[name + ".bias"], weights[name + ".running_mean"], weights[name + ".running_var"], epsilon);

    /// <summary>Channels.</summary>
    public int Channels => Gamma.Length;

    /// <summary>γ/√(var + eps) per channel (computed in double so folding adds no error of its own).</summary>
    public double Scale(int c) => Gamma[c] / Math.Sqrt((double)Variance[c] + Epsilon);
}
