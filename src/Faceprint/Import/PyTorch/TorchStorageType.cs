using Faceprint.Import.Checkpoints;

namespace Faceprint.Import.PyTorch;

/// <summary>A typed storage class such as torch.FloatStorage, as a pickle names it in a storage's persistent id.</summary>
internal sealed record TorchStorageType(string Name, TensorElementType ElementType)
{
    /// <summary>The storage classes the reader accepts, by their name in module torch.</summary>
    public static readonly IReadOnlyDictionary<string, TorchStorageType> Known = new[]
    {
        new TorchStorageType("FloatStorage", TensorElementType.Float32),
        new TorchStorageType("HalfStorage", TensorElementType.Float16),
        new TorchStorageType("BFloat16Storage", TensorElementType.BFloat16),
        new TorchStorageType("DoubleStorage", TensorElementType.Float64),
        new TorchStorageType("LongStorage", TensorElementType.Int64),
        new TorchStorageType("IntStorage", TensorElementType.Int32),
    }.ToDictionary(t => t.Name, StringComparer.Ordinal);

    /// <inheritdoc />
    public override string ToString() => "torch." + Name;
}
