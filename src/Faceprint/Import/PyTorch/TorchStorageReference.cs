using Faceprint.Import.Checkpoints;

namespace Faceprint.Import.PyTorch;

/// <summary>
/// A storage a checkpoint's pickle refers to by persistent id ('storage', type, key, location, numel): its bytes
/// live in the archive record <c>data/&lt;Key&gt;</c> and hold <see cref="ElementCount"/> elements.
/// </summary>
internal sealed record TorchStorageReference(string Key, TensorElementType ElementType, long ElementCount);
