using Faceprint.Import.Checkpoints;

namespace Faceprint.Import.Safetensors;

/// <summary>One tensor of a safetensors header: its bytes lie at [<see cref="Begin"/>, <see cref="End"/>) of the data section.</summary>
internal sealed record SafetensorsEntry(string Name, TensorElementType ElementType, int[] Shape, long Begin, long End);
