using Faceprint.Core.Weights;

namespace Faceprint.Models;

/// <summary>
/// Parameter lists of PyTorch modules under their <c>state_dict</c> names, for definitions that follow a
/// reference PyTorch implementation exactly (so a checkpoint's tensors map by name). BatchNorm's
/// <c>num_batches_tracked</c> counter is training bookkeeping and is never expected; importers drop it.
/// </summary>
internal static class TorchSpecs
{
    /// <summary><c>nn.Conv2d</c>: weight [out, in/groups, k, k], bias [out] when it has one.</summary>
    public static IEnumerable<ParameterSpec> Conv2d(string name, int inChannels, int outChannels, int kernel, int groups, bool bias)
    {
        yield return new ParameterSpec(name + ".weight", [outChannels, inChannels / groups, kernel, kernel]);
        if (bias) yield return new ParameterSpec(name + ".bias", [outChannels]);
    }

    /// <summary><c>nn.BatchNorm1d/2d</c>: weight, bias, running_mean, running_var, each [C].</summary>
    public static IEnumerable<ParameterSpec> BatchNorm(string name, int channels)
    {
        yield return new ParameterSpec(name + ".weight", [channels]);
        yield return new ParameterSpec(name + ".bias", [channels]);
        yield return new ParameterSpec(name + ".running_mean", [channels]);
        yield return new ParameterSpec(name + ".running_var", [channels]);
    }

    /// <summary><c>nn.Linear</c>: weight [out, in], bias [out] when it has one.</summary>
    public static IEnumerable<ParameterSpec> Linear(string name, int inFeatures, int outFeatures, bool bias)
    {
        yield return new ParameterSpec(name + ".weight", [outFeatures, inFeatures]);
        if (bias) yield return new ParameterSpec(name + ".bias", [outFeatures]);
    }

    /// <summary><c>nn.LayerNorm</c> / <c>nn.GroupNorm</c> affine: weight and bias, each [C].</summary>
    public static IEnumerable<ParameterSpec> Norm(string name, int channels)
    {
        yield return new ParameterSpec(name + ".weight", [channels]);
        yield return new ParameterSpec(name + ".bias", [channels]);
    }

    /// <summary>True for BatchNorm running statistics: buffers, not trained parameters.</summary>
    public static bool IsBuffer(string name) => name.EndsWith(".running_mean", StringComparison.Ordinal) || name.EndsWith(".running_var", StringComparison.Ordinal);

    /// <summary>Trainable values (what PyTorch's <c>parameters()</c> counts): everything but running statistics.</summary>
    public static long TrainableCount(IEnumerable<ParameterSpec> specs) =>
        specs.Where(s => !IsBuffer(s.Name)).Sum(s => NamedTensor.Count(s.Shape));
}
