using System.Text.Json.Nodes;
using Faceprint.Core.Weights;
using Faceprint.Models;
using Faceprint.Preprocessing;
using static TorchSharp.torch;

namespace Faceprint.Training.Models;

/// <summary>
/// A trainable face-embedding network: maps a batch N×3×S×S of normalised faces (NCHW float, see
/// <see cref="Normalization"/>) to N×embedding features (not L2-normalised). Its <c>state_dict</c> names and shapes
/// are exactly <see cref="StateDictSpecs"/> (BatchNorm <c>num_batches_tracked</c> counters aside), and
/// <see cref="Family"/> plus <see cref="Config"/> describe it as the engine's model files do, so one configuration
/// record describes the network for training and inference alike.
/// </summary>
public abstract class FaceBackbone : ReferenceModule
{
    /// <summary>
    /// Creates the module; derived classes register their submodules under the reference names. Makes sure libtorch's
    /// CPU convolutions compute correctly on this machine first (<see cref="TorchRuntime.EnsureCorrectConvolutions"/>).
    /// </summary>
    protected FaceBackbone(string name) : base(name)
    {
        TorchRuntime.EnsureCorrectConvolutions();
    }

    /// <summary>The engine's family name (<c>facelivt</c>, <c>vit</c>, <c>mobilefacenet</c>).</summary>
    public abstract string Family { get; }

    /// <summary>The configuration as the engine's model files store it.</summary>
    public abstract JsonObject Config { get; }

    /// <summary>
    /// The state_dict contract in order: names and shapes of every parameter and BatchNorm running statistic. For
    /// FaceLiVT and ViT this is the engine definition's own list; for MobileFaceNet the train form of the EFM3 order.
    /// </summary>
    public abstract IReadOnlyList<ParameterSpec> StateDictSpecs { get; }

    /// <summary>Input side in pixels.</summary>
    public abstract int InputSize { get; }

    /// <summary>Embedding length.</summary>
    public abstract int EmbeddingSize { get; }

    /// <summary>The pixel normalisation the family was trained with (what the data pipeline must apply; the engine feeds the same).</summary>
    public InputNormalization Normalization => ModelFamilies.EmbedderInput(Family);

    /// <summary>Trainable values (<c>parameters()</c>, BatchNorm running statistics excluded).</summary>
    public long TrainableParameterCount => parameters().Sum(p => p.numel());
}
