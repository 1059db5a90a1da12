using System.Text.Json.Nodes;
using Faceprint.Core.Graph;
using Faceprint.Core.Weights;

namespace Faceprint.Models;

/// <summary>
/// An embedding model's configuration with everything its definition implies before weights exist: the
/// parameters a weight file must hold (train form for reparameterizable families), input side and embedding size.
/// </summary>
public sealed record ModelBlueprint(string Name, string Family, JsonObject Config, IReadOnlyList<ParameterSpec> Parameters,
    int InputSize, int EmbeddingSize)
{
    /// <summary>Trainable values in the stored (train) form, as PyTorch's <c>parameters()</c> counts them (BN running statistics excluded).</summary>
    public long TrainableParameters => TorchSpecs.TrainableCount(Parameters);

    /// <summary>Builds the network from <paramref name="weights"/> (validated strictly against <see cref="Parameters"/>).</summary>
    public Network Build(WeightSet weights, bool reparameterize = true) =>
        ModelFamilies.Build(new ModelFile(Family, Config, [.. weights.Tensors]), reparameterize);
}
