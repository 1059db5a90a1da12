namespace Faceprint.Import.Efm3;

/// <summary>
/// One conv of an EFM3 file as the header implies it: the MobileFaceNet parameter prefix it maps to, its kernel
/// shape [out, in/groups, k, k], and whether a PReLU follows (then a slope tensor follows its BN tensors).
/// </summary>
public sealed record Efm3ConvSpec(string Name, int OutChannels, int InPerGroup, int Kernel, bool HasPRelu)
{
    /// <summary>Kernel shape [out, in/groups, k, k].</summary>
    public int[] WeightShape => [OutChannels, InPerGroup, Kernel, Kernel];

    /// <summary>Values in the kernel.</summary>
    public int WeightCount => OutChannels * InPerGroup * Kernel * Kernel;

    /// <summary>Tensors this conv contributes: weight, BN γ, β, mean, var, and the slope when activated.</summary>
    public int TensorCount => HasPRelu ? 6 : 5;
}
