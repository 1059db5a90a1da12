using Faceprint.Core.Weights;
using Faceprint.Import.Checkpoints;

namespace Faceprint.Models;

/// <summary>
/// Turns a trained PyTorch state dict (read from .pt/.pth or safetensors by <see cref="CheckpointReader"/>) into a
/// model file for a built-in configuration. Strict: names and shapes must be exactly the reference code's; the only
/// tensors dropped are BatchNorm step counters, and a <c>module.</c> prefix (DataParallel) on every name is removed.
/// The file keeps the train form, so loading it reparameterizes (or not) as asked.
/// </summary>
public static class CheckpointImporter
{
    private const string DataParallelPrefix = "module.";

    /// <summary>The model file for <paramref name="blueprint"/> holding <paramref name="checkpoint"/>'s tensors in definition order.</summary>
    public static ModelFile Import(ModelBlueprint blueprint, TensorDictionary checkpoint, IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (checkpoint.Count > 0 && checkpoint.Keys.All(k => k.StartsWith(DataParallelPrefix, StringComparison.Ordinal)))
            checkpoint = checkpoint.WithoutPrefix(DataParallelPrefix);
        var weights = checkpoint.ToWeightSet(blueprint.Parameters, blueprint.Name, TensorDictionary.IsBatchNormCounter);
        var ordered = blueprint.Parameters.Select(p => new NamedTensor(p.Name, p.Shape, weights[p.Name])).ToList();
        return new ModelFile(blueprint.Family, blueprint.Config, ordered, metadata);
    }
}
