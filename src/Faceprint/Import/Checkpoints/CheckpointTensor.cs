using Faceprint.Core.Weights;

namespace Faceprint.Import.Checkpoints;

/// <summary>
/// One tensor of a checkpoint: its name, shape, the element type the file stores it in, and its values as fp32
/// in contiguous row-major order. Integer tensors are converted too (exact below 2^24, ample for counters such as
/// num_batches_tracked). Writers store <see cref="Data"/> as <see cref="ElementType"/>.
/// </summary>
public sealed record CheckpointTensor(string Name, int[] Shape, TensorElementType ElementType, float[] Data)
{
    /// <summary>A float32 tensor carrying a model parameter.</summary>
    public CheckpointTensor(NamedTensor tensor) : this(tensor.Name, tensor.Shape, TensorElementType.Float32, tensor.Data) { }

    /// <summary>The tensor as an engine parameter (fp32, same name and shape).</summary>
    public NamedTensor ToNamedTensor() => new(Name, Shape, Data);
}
