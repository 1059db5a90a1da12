using Faceprint.Core.Weights;

namespace Faceprint.Models;

/// <summary>Parameter lists of the building blocks the definitions share, in weight-file order.</summary>
internal static class LayerSpecs
{
    /// <summary>weight [out, in, k, k], bias [out], and a PReLU slope [out] when activated.</summary>
    public static IEnumerable<ParameterSpec> Conv(string name, int inChannels, int outChannels, int kernel, bool prelu)
    {
        yield return new ParameterSpec(name + ".weight", [outChannels, inChannels, kernel, kernel]);
        yield return new ParameterSpec(name + ".bias", [outChannels]);
        if (prelu) yield return new ParameterSpec(name + ".alpha", [outChannels]);
    }

    /// <summary>Depthwise: weight [c, 1, k, k], bias, optional slope.</summary>
    public static IEnumerable<ParameterSpec> Depthwise(string name, int channels, int kernel, bool prelu) =>
        Conv(name, 1, channels, kernel, prelu);

    /// <summary>Linear: weight [out, in], bias, optional slope.</summary>
    public static IEnumerable<ParameterSpec> Linear(string name, int inFeatures, int outFeatures, bool prelu)
    {
        yield return new ParameterSpec(name + ".weight", [outFeatures, inFeatures]);
        yield return new ParameterSpec(name + ".bias", [outFeatures]);
        if (prelu) yield return new ParameterSpec(name + ".alpha", [outFeatures]);
    }
}
